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
import signal
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
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)
# The zygote imports the child code from the package, then forgets where the
# package lives, so that nothing else next to it (the reference solutions in a
# source checkout) can be imported by a submission.
_BOOT = (
    "import sys; sys.path.insert(0, sys.argv[1]); import autograder.child as c; "
    "sys.path.remove(sys.argv[1]); c.zygote(int(sys.argv[2]))"
)
_SINGLE_THREADED = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                     "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")}


@dataclass(frozen=True)
class Limits:
    """What one submission may use: wall time per part (and for loading), memory."""

    seconds_per_part: float = 4.0
    memory_mb: int = 1024


class ChildLost(Exception):
    """The child did not answer: it ran out of time, died, or sent garbage."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Zygote:
    """A warm Python process with NumPy imported that forks children on request."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        self._workdir = tempfile.TemporaryDirectory(prefix="backprop-sandbox-")
        env = {**os.environ, **_SINGLE_THREADED}
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-c", _BOOT, _PACKAGE_ROOT, str(theirs.fileno())],
            pass_fds=[theirs.fileno()], cwd=self._workdir.name, env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        theirs.close()
        self._control = ours
        self._lock = threading.Lock()

    def spawn(self, limits: Limits) -> Child:
        """Fork a new child with ``limits`` applied; returns it ready for requests."""
        parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        with self._lock:
            socket.send_fds(self._control, [str(limits.memory_mb * 2**20).encode()],
                            [child_end.fileno()])
            child_end.close()
            reply = b""
            while not reply.endswith(b"\n"):
                chunk = self._control.recv(32)
                if not chunk:
                    raise RuntimeError("the sandbox's warm worker has stopped")
                reply += chunk
        return Child(int(reply), Connection(parent_end.detach()))

    def close(self) -> None:
        self._control.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._workdir.cleanup()

    def __enter__(self) -> Zygote:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Child:
    """One submission's process: send a request, wait at most ``timeout`` for the reply."""

    def __init__(self, pid: int, conn: Connection) -> None:
        self.pid = pid
        self._conn = conn
        self.alive = True

    def request(self, message: dict, timeout: float) -> dict:
        """Send ``message`` and return the decoded reply, or raise :class:`ChildLost`."""
        if not self.alive:
            raise ChildLost("the process had already stopped")
        try:
            self._conn.send_bytes(wire.encode(message))
            if not self._conn.poll(timeout):
                self.kill()
                raise ChildLost(f"took longer than the time limit of {timeout:g} s")
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
        """Kill the child and everything in its process group."""
        if self.alive:
            self.alive = False
            for kill in (os.killpg, os.kill):
                try:
                    kill(self.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
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
