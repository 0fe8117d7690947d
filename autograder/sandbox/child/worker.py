"""The student's side of the trust boundary.

This module runs in two kinds of process, never in the grader's own:

* the **zygote**, started once per grading run with NumPy already imported;
  on request it forks a fresh child for one submission (a fork costs a few
  milliseconds, a new interpreter with NumPy a few hundred);
* the **child**, which loads one submission and answers the grader's
  requests — "load these cells", "call F on these inputs" — one after the
  other, each reply sent as soon as it is known.

Everything sent back is converted here to plain data (:mod:`autograder.sandbox.protocol`):
float64 arrays, numbers, strings, lists and dicts.  The grader never unpickles
anything and never touches a student object; it judges the data it receives.
"""

from __future__ import annotations

import collections
import gc
import io
import os
import resource
import select
import signal
import socket
import sys
import time
import traceback
import types
import warnings
from typing import NamedTuple

import numpy as np

from autograder.sandbox import protocol as wire
from autograder.sandbox.child import callables, confine

MAX_TEXT = 2000  # characters of printed output and error text sent back per request
QUIET = 0.002  # seconds without a request before the warm worker forks a spare child
SPARES = 2  # children kept forked ahead: joining a control group can take 10-25 ms


# --------------------------------------------------------------------------- zygote

def zygote(control_fd: int, confined: bool) -> None:
    """Serve the grader's requests on ``control_fd`` until it closes it.

    ``S<limits>[|<group>,…]`` hands over a child: ``<pid> <group> <held>``, with the
    grader's end of its socket pair attached; ``<limits>`` is
    :meth:`Rlimits.parse`'s text.  The child was forked and confined in
    advance (one of :data:`SPARES` *spares*), and the next ones are made
    while the grader is busy.  Where the grader uses control groups, an ``S``
    brings the ``cgroup.procs`` files of new groups (named ``<group>``), the
    same number for each, one group for each spare to come (``<held>``
    says how many it holds, unused or joined by a spare), which joins it
    before it says hello: moving a process between groups waits for the
    kernel (RCU grace periods, up to tens of milliseconds on a busy machine),
    and so it is done well ahead of need, not while the grader waits.  ``K<pid>`` kills
    a child (and, in a PID namespace, everything it started).  With
    ``confined``, each child gets its own PID and mount namespaces and runs
    as ``nobody`` (see :mod:`autograder.sandbox.child.confine`).
    """
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    gc.freeze()
    control = socket.socket(fileno=control_fd)
    children: set[int] = set()
    spares: collections.deque[Spare] = collections.deque()
    groups: collections.deque[tuple[bytes, list[int]]] = collections.deque()  # for spares
    limits = b""  # of the last child asked for
    grouped = False  # whether children join control groups (then only with a group each)
    try:
        while True:
            # A spare is made once the grader has been quiet for a moment: forking at once
            # would hold up the grader's reading of the answer it just got.
            if (len(spares) < SPARES and limits and (groups or not grouped)
                    and not select.select([control], [], [], QUIET)[0]):
                spares.append(_spare(limits, confined, groups))
                continue
            msg, fds, _, _ = socket.recv_fds(control, 256, 16)
            if not msg:
                return
            if msg.startswith(b"K"):
                _kill(int(msg[1:]))
                children.discard(int(msg[1:]))
                control.sendall(b"ok\n")
                continue
            limits, _, names = msg[1:].partition(b"|")
            grouped = bool(names)
            if names:
                names = names.split(b",")
                each = len(fds) // len(names)
                groups.extend((name, fds[i * each:(i + 1) * each])
                              for i, name in enumerate(names))
            while spares and spares[0].limits != limits:  # made for other limits
                old = spares.popleft()
                _kill(old.pid)
                old.end.close()
            spare = spares.popleft() if spares else _spare(limits, confined, groups)
            children.add(spare.pid)
            held = len(groups) + sum(bool(s.group) for s in spares)
            socket.send_fds(control, [b"%d %s %d\n" % (spare.pid, spare.group, held)],
                            [spare.end.fileno()])
            spare.end.close()
    except OSError:
        return
    finally:  # the grader is gone (or done): nothing of a submission outlives it
        for pid in children | {spare.pid for spare in spares}:
            _kill(pid)


class Spare(NamedTuple):
    """A child forked ahead of need: its pid (0 if it could not start), the grader's
    end of its socket pair, its limits and the control group it joined (or ``b""``)."""

    pid: int
    end: socket.socket
    limits: bytes
    group: bytes


def _spare(limits: bytes, confined: bool,
           groups: collections.deque[tuple[bytes, list[int]]]) -> Spare:
    """Fork and confine a child; it joins the first of ``groups``, if any."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    rlimits = Rlimits.parse(limits)
    group, entries = groups.popleft() if groups else (b"", [])
    in_namespace = confined and confine.new_pid_namespace()
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid == 0:  # the child: the first process of its PID namespace, when confined
        try:
            problem = b""
            try:
                for entry in entries:  # "0" moves the writer itself, whatever its pid
                    os.write(entry, b"0")
            except OSError as exc:
                problem = f"could not join its control group: {exc}".encode()
            if in_namespace:
                confine.private_mounts(rlimits.tmp_megabytes)
            if confined:
                confine.drop_privileges()
            serve(theirs, rlimits, problem)
        finally:
            os._exit(0)
    for entry in entries:
        os.close(entry)
    theirs.close()
    return Spare(max(pid, 0), ours, limits, group)


def _kill(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


# --------------------------------------------------------------------------- child

class CappedText(io.TextIOBase):
    """A text stream that keeps the first ``MAX_TEXT`` characters and counts the rest."""

    def __init__(self) -> None:
        self.head: list[str] = []
        self.kept = 0
        self.total = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        self.total += len(text)
        if self.kept < MAX_TEXT:
            piece = text[: MAX_TEXT - self.kept]
            self.head.append(piece)
            self.kept += len(piece)
        return len(text)

    def take(self) -> str:
        """The text kept since the last call, with a note of how much was cut."""
        text = "".join(self.head)
        if self.total > self.kept:
            text += f"\n… ({self.total - self.kept} more characters not shown)"
        self.head, self.kept, self.total = [], 0, 0
        return text


class Rlimits(NamedTuple):
    """The limits each process of a submission gets from the kernel (``setrlimit``).

    ``processes`` is 0 where the grader counts them in a control group
    instead (see :mod:`autograder.sandbox.cgroups`), where they are the whole
    submission's, not each process's.
    """

    memory_bytes: int
    file_bytes: int
    cpu_seconds: int
    processes: int
    tmp_megabytes: int

    def text(self) -> bytes:
        return ",".join(map(str, self)).encode()

    @classmethod
    def parse(cls, text: bytes) -> Rlimits:
        return cls(*map(int, text.split(b",")))


def _limit_resources(limits: Rlimits) -> None:
    """Own process group, no core files, address space capped above what is mapped now,
    file size and CPU time capped, and (without a control group) the number of processes."""
    os.setsid()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits.file_bytes, limits.file_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    if limits.processes:  # counted per user, machine-wide: on top of what the user has
        mine = sum(1 for entry in os.scandir("/proc")
                   if entry.name.isdigit() and _owner(entry) == os.getuid())
        cap = mine + limits.processes
        resource.setrlimit(resource.RLIMIT_NPROC, (cap, cap))
    try:
        with open("/proc/self/statm") as f:
            mapped = int(f.read().split()[0]) * resource.getpagesize()
    except OSError:  # no /proc (macOS): cap the data segment instead, from zero
        resource.setrlimit(resource.RLIMIT_DATA, (limits.memory_bytes, limits.memory_bytes))
        return
    limit = mapped + limits.memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _owner(entry: os.DirEntry) -> int | None:
    try:
        return entry.stat().st_uid
    except OSError:
        return None


def serve(conn: socket.socket, limits: Rlimits, problem: bytes = b"") -> None:
    """Say hello, then answer the grader's requests until it hangs up.

    The hello is an empty frame, or ``problem``: what went wrong while the
    child was being confined (the grader stops then, it does not grade).

    Every reply carries ``seq``, its rank among this process's replies, so
    that the grader can tell an answer from bytes written by anyone else.
    """
    _limit_resources(limits)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # output written below Python (os.write, C code) goes nowhere
    os.dup2(devnull, 2)
    # Nothing inherited from the warm worker stays open (its socket to the grader, the
    # other children's sockets): the submission reaches the grader only through `conn`.
    os.closerange(3, conn.fileno())
    os.closerange(conn.fileno() + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    conn.sendall(wire.frame(problem))  # the hello
    if problem:
        return
    out = CappedText()
    sys.stdout = sys.stderr = out
    sys.stdin = io.StringIO()
    state = Session(out)
    seq = 0
    while True:
        frame = _receive(conn)
        if frame is None:
            return
        for message in wire.split(frame):  # read in full before any code of theirs runs
            for reply in state.answer(wire.decode(message)):
                reply["seq"] = seq
                seq += 1
                try:
                    data = wire.encode(reply)
                except wire.WireError as exc:  # cannot happen for replies built by `plain`
                    data = wire.encode({"ok": False, "error": "internal",
                                        "message": str(exc), "seq": reply["seq"]})
                conn.sendall(wire.frame(data))


def _receive(conn: socket.socket) -> bytes | None:
    """The next frame from the grader, or ``None`` once it has hung up."""
    header = _read(conn, 8)
    return None if header is None else _read(conn, wire.frame_length(header))


def _read(conn: socket.socket, size: int) -> bytes | None:
    data = bytearray(size)
    view, got = memoryview(data), 0
    while got < size:
        count = conn.recv_into(view[got:])
        if not count:
            return None
        got += count
    return bytes(data)


class StudentError(Exception):
    """A result that cannot be sent back, with a message meant for the student."""


class Session:
    """One submission's namespace, the values kept between calls, and the output stream."""

    def __init__(self, out: CappedText) -> None:
        self.out = out
        self.module: types.ModuleType | None = None
        self.filename = "<submission>"
        self.kept: dict[str, object] = {}

    def answer(self, request: dict):
        """The replies to one request, one by one: a ``calls`` request (a list of
        calls made in a row) gets one reply per call, each sent as soon as it is known."""
        if request.get("op") == "calls":
            for call in request["calls"]:
                yield self.handle(call)
        else:
            yield self.handle(request)

    def handle(self, request: dict) -> dict:
        op = request.get("op")
        if op == "load":
            return self.load(request["name"], request["filename"], request["cells"])
        if op == "call":
            return self.call(request["fn"], request.get("args", []), request.get("keep"),
                             request.get("pick"))
        return {"ok": False, "error": "internal", "message": f"unknown request {op!r}"}

    # ---- load

    def load(self, name: str, filename: str, cells: list[str]) -> dict:
        """Run the submission's code cells in order in a fresh module called ``name``.

        A cell that fails is reported and the next one still runs, so every
        function defined before (or without) the failure can be graded.
        """
        self.filename = filename
        module = types.ModuleType(name)
        module.__file__ = filename
        sys.modules[name] = module
        self.module = module
        problems = []
        for number, source in enumerate(cells, start=1):
            label = filename if len(cells) == 1 else f"{filename}, cell {number}"
            try:
                code = compile(source, label, "exec")
            except (SyntaxError, ValueError) as exc:
                problems.append(_syntax_problem(exc, label))
                continue
            try:
                exec(code, module.__dict__)
            except BaseException as exc:  # noqa: BLE001 - SystemExit and friends included
                problems.append(self._exception(exc, when=""))
        functions = sorted(k for k, v in vars(module).items()
                           if callable(v) and not isinstance(v, type) and not k.startswith("__"))
        return {"ok": True, "functions": functions, "problems": problems,
                "printed": self.out.take()}

    # ---- call

    def call(self, fn: str, args: list, keep: str | None, pick: int | None) -> dict:
        """Call ``fn(*args)``; report the plain result, warnings, mutations, output and time.

        ``keep`` names the result so that later calls can pass it back (a
        cache, say) without it ever leaving this process; ``pick`` sends back
        only item ``pick`` of a tuple result.
        """
        func = getattr(self.module, fn, None)
        if not callable(func):
            return {"ok": False, "error": "missing", "message": f"no function named {fn}"}
        try:
            args = [self._resolve(a) for a in args]
        except (KeyError, AttributeError, IndexError, TypeError) as exc:
            return {"ok": False, "error": "missing", "message": f"an argument could not be "
                    f"built: no earlier result or function {exc}"}
        before = [_snapshot(a) for a in args]
        start = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"):
                    result = func(*args)
            except BaseException as exc:  # noqa: BLE001
                return self._exception(exc, when=f"when {fn} was called")
        seconds = time.perf_counter() - start
        warned = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
        mutated = [i for i, (a, b) in enumerate(zip(before, args)) if not _same(a, b)]
        if keep is not None:
            self.kept[keep] = result
        try:
            if pick is not None:
                if not isinstance(result, (tuple, list)) or len(result) <= pick:
                    raise StudentError(f"expected {fn} to return a tuple of at least "
                                       f"{pick + 1} items")
                result = result[pick]
            value = plain(result)
        except StudentError as exc:
            return {"ok": False, "error": "type", "message": str(exc),
                    "printed": self.out.take()}
        return {"ok": True, "value": value, "warnings": warned[:10], "mutated": mutated,
                "seconds": seconds, "printed": self.out.take()}

    def _resolve(self, arg):
        """Turn references into values: to an earlier result (``{"__kept__": name,
        "item": i}``) or to a trusted function (``{"__fn__": name, "args": [...]}``)."""
        if isinstance(arg, dict) and "__kept__" in arg:
            value = self.kept[arg["__kept__"]]
            return value if arg.get("item") is None else value[arg["item"]]
        if isinstance(arg, dict) and "__fn__" in arg:
            return callables.make(arg["__fn__"], *arg.get("args", []))
        return arg

    def _exception(self, exc: BaseException, when: str) -> dict:
        """Describe an exception for the student: what happened, and the line of their code."""
        kind = type(exc).__name__
        if isinstance(exc, SystemExit):
            what = "your code called exit(); a graded file must not end the process"
        elif isinstance(exc, MemoryError):
            what = "ran out of memory (the memory limit was reached)"
        elif isinstance(exc, RecursionError):
            what = "infinite or too deep recursion"
        elif isinstance(exc, NotImplementedError):
            what = "not implemented yet (it raises NotImplementedError)"
        else:
            what = f"{kind}: {_short(str(exc))}"
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if f.filename.startswith(self.filename)]
        where = f"{frames[-1].filename}, line {frames[-1].lineno}" if frames else None
        return {"ok": False, "error": "exception", "type": kind,
                "message": f"{what} {when}".strip(), "where": where,
                "printed": self.out.take()}


def _syntax_problem(exc: Exception, label: str) -> dict:
    line = getattr(exc, "lineno", None)
    text = (getattr(exc, "text", None) or "").strip()
    message = f"{type(exc).__name__}: {getattr(exc, 'msg', exc)}"
    if text:
        message += f" — `{_short(text, 120)}`"
    return {"ok": False, "error": "syntax", "type": type(exc).__name__, "message": message,
            "where": f"{label}, line {line}" if line else label}


def _short(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[:limit] + " …"


def plain(value, depth: int = 0):
    """Convert a student's return value to plain data, or raise :class:`StudentError`.

    Numbers become floats; arrays of numbers or booleans become float64 arrays;
    tuples, lists and string-keyed dicts are converted item by item.  Anything
    else (None, objects, strings, complex numbers) is refused with a message.
    """
    if depth > 4:
        raise StudentError("the result is nested too deeply")
    if value is None:
        raise StudentError("returned None — is a `return` statement missing?")
    if isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise StudentError(f"returned an array of dtype {value.dtype}; expected numbers")
        return np.array(value, dtype=np.float64, subok=False)
    if isinstance(value, (tuple, list)):
        return {"__seq__": type(value).__name__, "items": [plain(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise StudentError("returned a dict whose keys are not all strings")
        return {"__dict__": {k: plain(v, depth + 1) for k, v in value.items()}}
    raise StudentError(f"returned an object of type {type(value).__name__}; "
                       "expected a NumPy array or a number")


def _snapshot(value):
    """What an argument holds, to tell afterwards whether a call changed it in place:
    an array's bytes, a container's items, a number or a string as it is (a container's
    item may be replaced); ``None`` for what is not tracked (a generator, a function)."""
    if value is None or isinstance(value, (int, float, complex, str, np.generic)):
        return ("value", value)
    if isinstance(value, np.ndarray):
        return ("array", value.dtype, value.shape, value.tobytes())
    if isinstance(value, dict):
        return ("dict", {k: _snapshot(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return ("items", len(value), [_snapshot(v) for v in value])
    return None


def _same(before, value) -> bool:
    """Whether ``value`` (the very object :func:`_snapshot` saw) still holds what it did."""
    if before is None or before[0] in ("value", "array"):
        return before == _snapshot(value)
    if before[0] == "dict":
        return before[1].keys() == value.keys() and all(
            _same(b, value[k]) for k, b in before[1].items())
    return before[1] == len(value) and all(_same(b, v) for b, v in zip(before[2], value))


if __name__ == "__main__":
    zygote(int(sys.argv[1]), sys.argv[2] == "confined")
