"""The grader's side of the trust boundary: warm workers, limits, requests.

One :class:`Zygote` per grading run keeps a Python process with NumPy
imported; :meth:`Zygote.spawn` forks a fresh :class:`Child` from it for each
submission in a few milliseconds.  A child answers requests (see
:mod:`autograder.child`) with plain data only; a child that overruns its time,
dies, or answers with anything but well-formed plain data is killed and
reported as such — it can never take the grader down with it.
"""

from __future__ import annotations

import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from autograder import wire

MAX_REPLY_BYTES = 64 * 2**20
_PACKAGE = Path(__file__).resolve().parent
#: The modules a submission's process needs: nothing else of the package goes
#: into the sandbox (not the exercise declarations, not the grading code).
CHILD_MODULES = ("__init__.py", "child.py", "confine.py", "wire.py", "callables.py")
# Started with -I -S: no user site, no .pth files (an editable install's finder would
# let a submission import the whole package); the packages' folders come as argv[4:].
_BOOT = (
    "import sys; sys.path += sys.argv[4:]; import {preload}; sys.path.insert(0, sys.argv[1]); "
    "import autograder.child as c; sys.path.remove(sys.argv[1]); "
    "c.zygote(int(sys.argv[2]), sys.argv[3] == 'confined')"
)
#: Standard modules imported before any submission, so that a child running as
#: ``nobody`` can use them even where the interpreter's files are not readable.
_PRELOAD = ", ".join((
    "math cmath random statistics functools itertools operator collections dataclasses "
    "typing numbers fractions decimal copy warnings encodings.idna numpy numpy.random "
    "numpy.linalg numpy.fft").split())  # NumPy imports these on first use
_SINGLE_THREADED = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                     "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")}

LEVELS = {
    "namespaces": "private filesystem view (bubblewrap), no network, a PID namespace per "
                  "submission, runs as nobody",
    "user": "runs as nobody, a PID namespace per submission; sees the machine's files and "
            "network",
    "process": "a separate process with time and memory limits; sees what the grader sees",
}


class SandboxError(RuntimeError):
    """The sandbox could not be started at the requested level."""


@dataclass(frozen=True)
class Limits:
    """What one submission may use: wall time per part, memory.

    Loading a file may take twice a part's time: it runs all its top-level code.
    """

    seconds_per_part: float = 4.0
    memory_mb: int = 1024

    @property
    def seconds_to_load(self) -> float:
        return 2 * self.seconds_per_part


class ChildLost(Exception):
    """The child did not answer: it ran out of time, died, or sent garbage."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def best_level() -> str:
    """The strongest isolation this machine allows (namespaces need root and bubblewrap)."""
    if os.geteuid() != 0:
        return "process"
    if shutil.which("bwrap") and subprocess.run(
            ["bwrap", "--ro-bind", "/", "/", "--unshare-all", "true"],
            capture_output=True).returncode == 0:
        return "namespaces"
    return "user"


def resolve_level(requested: str) -> str:
    """``requested`` (or the best one for ``"auto"``), checked against what is possible."""
    if requested == "auto":
        return best_level()
    if requested not in LEVELS:
        raise SandboxError(f"unknown sandbox level {requested!r}; use auto, "
                           + ", ".join(LEVELS))
    order = list(LEVELS)
    if order.index(requested) < order.index(best_level()):
        raise SandboxError(f"sandbox level {requested!r} is not available here (it needs "
                           "root, and bubblewrap for namespaces); the best is "
                           f"{best_level()!r}")
    return requested


def _site_packages() -> list[str]:
    """The folders third-party packages (NumPy) are imported from."""
    return [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))
            and os.path.isdir(p)]


def _bwrap(code_dir: str) -> list[str]:
    """bubblewrap's arguments: the system's and Python's files read-only, nothing else."""
    args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net",
            "--unshare-ipc", "--unshare-uts", "--proc", "/proc", "--dev", "/dev",
            "--tmpfs", "/tmp", "--ro-bind", code_dir, "/sandbox"]
    for system in ("/usr", "/bin", "/lib", "/lib64", "/etc/alternatives", "/etc/ld.so.cache"):
        args += ["--ro-bind-try", system, system]
    python = sorted(p for p in {sys.base_prefix, sys.prefix,
                                *(p for p in sys.path if "-packages" in p)} if os.path.exists(p))
    # Folders above Python's (under /root, say) are created traversable by nobody.
    parents = sorted({str(a) for p in python for a in Path(p).parents if str(a) != "/"})
    for folder in parents:
        args += ["--perms", "0755", "--dir", folder]
    for path in python:
        args += ["--ro-bind", path, path]
    return args + ["--chdir", "/tmp"]


class Zygote:
    """A warm Python process with NumPy imported that forks children on request.

    ``level`` is one of :data:`LEVELS` (or ``"auto"``): what confines the
    children.  The warm worker sees only the child-side modules of the
    package, copied to a private folder.
    """

    def __init__(self, level: str = "auto") -> None:
        self.level = resolve_level(level)
        self._workdir = tempfile.TemporaryDirectory(prefix="backprop-sandbox-")
        code = Path(self._workdir.name) / "code"
        (code / "autograder").mkdir(parents=True)
        for name in CHILD_MODULES:
            shutil.copy(_PACKAGE / name, code / "autograder" / name)
        os.chmod(self._workdir.name, 0o755)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        code_dir = "/sandbox" if self.level == "namespaces" else str(code)
        # The interpreter itself, not a virtual environment's link to it (which the
        # namespaces level does not mount): the packages' folders are passed anyway.
        python = os.path.realpath(sys.executable)
        argv = [python, "-I", "-S", "-c", _BOOT.format(preload=_PRELOAD), code_dir,
                str(theirs.fileno()), "open" if self.level == "process" else "confined",
                *_site_packages()]
        if self.level == "namespaces":
            argv = _bwrap(str(code)) + argv
        with (Path(self._workdir.name) / "errors").open("wb") as errors:
            self._process = subprocess.Popen(
                argv, pass_fds=[theirs.fileno()], cwd=self._workdir.name,
                env={**os.environ, **_SINGLE_THREADED}, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=errors)
        theirs.close()
        self._control = ours
        self._lock = threading.Lock()
        self._tested = False
        self._testing = threading.RLock()

    def _self_test(self) -> None:
        """Fork and load a trivial child once, before the first real one (the worker
        boots meanwhile: the grader prepares its answer keys while NumPy imports)."""
        try:
            child = self.spawn(Limits(seconds_per_part=30))
            reply = child.request({"op": "load", "name": "probe", "filename": "probe.py",
                                   "cells": ["x = 1"]}, 30)
            child.kill()
        except (ChildLost, RuntimeError, OSError) as exc:
            raise SandboxError(self._failure(str(exc))) from None
        if not reply.get("ok"):
            raise SandboxError(self._failure("the probe did not load"))

    def _failure(self, what: str) -> str:
        """Why the warm worker did not start, with the last thing it printed."""
        self.close(keep_files=True)  # waits for the worker: its error output is complete
        said = (Path(self._workdir.name) / "errors").read_text(errors="replace").split("\n")
        self._workdir.cleanup()
        last = [line for line in said if line.strip()][-1:]
        return f"the {self.level} sandbox does not start here: {what}" + \
            (f" ({last[0].strip()})" if last else "")

    def _ask(self, message: bytes) -> tuple[str, list[int]]:
        """Send a request to the warm worker; its one-line answer and the file
        descriptors that came with it."""
        with self._lock:
            self._control.sendall(message)
            reply, fds = b"", []
            while not reply.endswith(b"\n"):
                chunk, more, _, _ = socket.recv_fds(self._control, 32, 1)
                if not chunk:
                    raise RuntimeError("the sandbox's warm worker has stopped")
                reply += chunk
                fds += more
        return reply.decode().strip(), fds

    def spawn(self, limits: Limits) -> Child:
        """A new child with ``limits`` applied, ready for requests (forked in advance)."""
        with self._testing:
            if not self._tested:
                self._tested = True
                self._self_test()
        pid, fds = self._ask(f"S{limits.memory_mb * 2**20}".encode())
        return Child(int(pid), Connection(fds[0]), self)

    def kill(self, pid: int) -> None:
        """Kill a child and everything it started."""
        try:
            self._ask(f"K{pid}".encode())
        except (RuntimeError, OSError):
            pass  # the warm worker is gone, and its children with it

    def close(self, keep_files: bool = False) -> None:
        self._control.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
        if not keep_files:
            self._workdir.cleanup()

    def __enter__(self) -> Zygote:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Child:
    """One submission's process: send a request, wait at most ``timeout`` for the reply."""

    def __init__(self, pid: int, conn: Connection, zygote: Zygote) -> None:
        self.pid = pid
        self._conn = conn
        self._zygote = zygote
        self.alive = pid > 0
        self._readable = select.poll()  # one poller for all the replies (Connection.poll
        self._readable.register(conn.fileno(), select.POLLIN)  # makes one per call)

    def request(self, message: dict, timeout: float) -> dict:
        """Send ``message`` and return the decoded reply, or raise :class:`ChildLost`."""
        self.send(message)
        return self.receive(timeout)

    def send(self, message: dict | list[bytes]) -> None:
        """Send a request, or several already encoded, without waiting for the replies."""
        if not self.alive:
            raise ChildLost("the process had already stopped")
        try:
            self._conn.send_bytes(wire.join(message if isinstance(message, list)
                                            else [wire.encode(message)]))
        except OSError:
            self.kill()
            raise ChildLost("the process ended abruptly (os._exit, a crash, or killed "
                            "for exceeding a limit)") from None

    def receive(self, timeout: float, limit: float | None = None) -> dict:
        """The next reply, decoded and checked, within ``timeout`` seconds (what is
        left of a time ``limit``, which the message names)."""
        if not self.alive:
            raise ChildLost("the process had already stopped")
        try:
            if not self._readable.poll(max(0, int(timeout * 1000))):
                self.kill()
                raise ChildLost(f"took longer than the time limit of {limit or timeout:g} s")
            data = self._conn.recv_bytes(MAX_REPLY_BYTES)
        except (EOFError, BrokenPipeError, ConnectionResetError):
            self.kill()
            raise ChildLost("the process ended abruptly (os._exit, a crash, or killed "
                            "for exceeding a limit)") from None
        except OSError:
            self.kill()
            raise ChildLost("sent back more data than allowed") from None
        try:
            reply = wire.decode(data)
            if not isinstance(reply, dict) or not isinstance(reply.get("ok"), bool):
                raise wire.WireError("not a reply")
            if "value" in reply:
                reply["value"] = unwrap(reply["value"])
        except wire.WireError:
            self.kill()
            raise ChildLost("answered with something that is not a plain result") from None
        return reply

    def kill(self) -> None:
        """Kill the child and everything it started."""
        if self.alive:
            self.alive = False
            self._zygote.kill(self.pid)
        self._conn.close()


def unwrap(value):
    """Rebuild tuples, lists and dicts from the child's tagged plain data.

    Raises :class:`wire.WireError` for anything not produced by
    :func:`autograder.child.plain`.
    """
    if isinstance(value, (float, np.ndarray)):
        if isinstance(value, np.ndarray) and value.dtype != np.float64:
            raise wire.WireError("arrays must be float64")
        return value
    if isinstance(value, dict) and set(value) == {"__seq__", "items"}:
        items = [unwrap(v) for v in value["items"]]
        return tuple(items) if value["__seq__"] == "tuple" else items
    if (isinstance(value, dict) and set(value) == {"__dict__"}
            and isinstance(value["__dict__"], dict)):
        return {k: unwrap(v) for k, v in value["__dict__"].items()}
    raise wire.WireError("unexpected value")
