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
from typing import NamedTuple

from autograder.sandbox import protocol
from autograder.sandbox.child import confine
from autograder.sandbox.child.session import CappedText, Session

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
            msg, fds, _flags, _address = socket.recv_fds(control, 256, 16)
            if not msg:
                return
            if msg.startswith(b"K"):
                _kill(int(msg[1:]))
                children.discard(int(msg[1:]))
                control.sendall(b"ok\n")
                continue
            limits, _sep, names = msg[1:].partition(b"|")
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
                problem = protocol.encode(protocol.failed("confine", "group-join",
                                                          {"detail": str(exc)[:500]}))
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
    child was being confined, a :func:`protocol.failed` message encoded (the grader
    stops then, it does not grade).

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
    conn.sendall(protocol.frame(problem))  # the hello
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
        for message in protocol.split(frame):  # read in full before any code of theirs runs
            for reply in state.answer(protocol.decode(message)):
                reply["seq"] = seq
                seq += 1
                try:
                    data = protocol.encode(reply)
                except protocol.WireError as exc:  # cannot happen for replies built by `plain`
                    data = protocol.encode({**protocol.failed("internal", "unsendable",
                                                              {"detail": str(exc)}),
                                            "seq": reply["seq"]})
                conn.sendall(protocol.frame(data))


def _receive(conn: socket.socket) -> bytes | None:
    """The next frame from the grader, or ``None`` once it has hung up."""
    header = _read(conn, 8)
    return None if header is None else _read(conn, protocol.frame_length(header))


def _read(conn: socket.socket, size: int) -> bytes | None:
    data = bytearray(size)
    view, got = memoryview(data), 0
    while got < size:
        count = conn.recv_into(view[got:])
        if not count:
            return None
        got += count
    return bytes(data)


if __name__ == "__main__":
    zygote(int(sys.argv[1]), sys.argv[2] == "confined")
