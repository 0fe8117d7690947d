"""The grader's end of one student's process: requests sent, replies read (:class:`Child`).

Every byte that comes from a child is hostile, whoever wrote it: the
submission's code can write to its own socket at any moment.  A reply must
arrive whole within the time left (a length is read, never trusted: at most
:data:`MAX_REPLY_BYTES`), decode as plain data, have the shape of a reply
(:func:`autograder.sandbox.protocol.checked`) and answer the request that is
due; anything else costs the submission the part concerned, with a message.
"""

from __future__ import annotations

import math
import select
import socket
import time
from typing import TYPE_CHECKING

import numpy as np

from autograder.i18n import _
from autograder.sandbox import cgroups, messages, protocol

if TYPE_CHECKING:
    from autograder.sandbox.host import Zygote

MAX_REPLY_BYTES = 64 * 2**20
HELLO_SECONDS = 10.0  # for a spare child to say hello (it has usually done so long before)


class SandboxError(RuntimeError):
    """The sandbox could not be started at the requested level."""


class ChildLost(Exception):
    """The child did not answer: it ran out of time, died, or sent garbage.

    ``reason`` says what it did, in the reader's language, as what follows a subject
    ("it", a function's name): ``took longer than the time limit of 4 s``.  ``kind`` says
    it as data, for the class report (:data:`autograder.output.outliers.KINDS`):
    ``"timed-out"``, ``"limit"`` (killed for a limit) or ``"crashed"``.
    """

    def __init__(self, reason: str, kind: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind


class Child:
    """One submission's process: send requests, read its replies within a time limit.

    Replies are read from the socket as bytes, each frame's length checked
    before its payload is waited for; no read ever waits past the deadline.
    """

    def __init__(self, pid: int, sock: socket.socket, zygote: Zygote) -> None:
        self.pid = pid
        self._sock = sock
        self._zygote = zygote
        self.alive = pid > 0
        self.group: cgroups.Group | None = None
        self._buffer = bytearray()
        self._replies = 0  # received so far: the ``seq`` the next reply must carry
        sock.setblocking(False)
        self._ready = select.poll()  # one poller for all the replies (Connection.poll
        self._ready.register(sock.fileno(), select.POLLIN)  # makes one per call)

    def greet(self) -> None:
        """Wait for the child's hello: it is confined (and in its group), ready to load.

        Raises :class:`SandboxError` if the child could not confine itself.
        """
        if not self.alive:
            # Translators: what a student's process did ("Your file could not be loaded:
            # it …", "`relu` …"), as are the other reasons a process is lost.
            raise ChildLost(_("could not be started (no process left to fork?)"), "crashed")
        deadline = time.monotonic() + HELLO_SECONDS
        late = _("did not start in time")
        size = protocol.frame_length(self._read(8, deadline, late))
        problem = self._read(min(size, 4096), deadline, late)
        if problem:
            self.kill()
            raise SandboxError(messages.hello(problem))

    def request(self, message: dict, timeout: float) -> dict:
        """Send ``message`` and return the decoded reply, or raise :class:`ChildLost`."""
        self.send(message, timeout)
        return self.receive(timeout)

    def send(self, message: dict | list[bytes], timeout: float) -> None:
        """Send a request, or several already encoded, without waiting for the replies;
        what the child does not take within ``timeout`` seconds costs it its process."""
        if not self.alive:
            raise ChildLost(_("the process had already stopped"), "crashed")
        data = protocol.frame(protocol.join(message if isinstance(message, list)
                                    else [protocol.encode(message)]))
        deadline = time.monotonic() + timeout
        view = memoryview(data)
        writable = select.poll()
        writable.register(self._sock.fileno(), select.POLLOUT)
        try:
            while view:
                try:
                    view = view[self._sock.send(view):]
                except BlockingIOError:
                    if not writable.poll(_milliseconds(deadline)):
                        raise TimeoutError from None
        except TimeoutError:
            self._lose(_("did not take its requests within {seconds} s").format(
                seconds=f"{timeout:g}"), "timed-out")
        except OSError:
            self._lose(*self._ended())

    def receive(self, timeout: float, limit: float | None = None) -> dict:
        """The next reply, decoded and checked, within ``timeout`` seconds (what is
        left of a time ``limit``, which the message names)."""
        if not self.alive:
            raise ChildLost(_("the process had already stopped"), "crashed")
        deadline = time.monotonic() + timeout
        limit = f"{limit or timeout:g}"
        header = self._read(8, deadline, _("took longer than the time limit of {seconds} s")
                            .format(seconds=limit))
        size = protocol.frame_length(header)
        if size > MAX_REPLY_BYTES:
            self._lose(_("announced a reply of {size} bytes, more than the {limit} MiB a reply "
                         "may have").format(size=size, limit=MAX_REPLY_BYTES // 2**20),
                       "limit")
        data = self._read(size, deadline, _(
            "started a reply of {size} bytes but had not finished it when the time limit of "
            "{seconds} s ran out").format(size=size, seconds=limit))
        try:
            reply = protocol.checked(protocol.decode(data), self._replies)
            if "value" in reply:
                reply["value"] = unwrap(reply["value"])
        except protocol.WireError as exc:
            # Translators: {problem} is a technical detail, in English.
            self._lose(_("answered with something that is not a plain result ({problem})")
                       .format(problem=exc), "crashed")
        self._replies += 1
        return reply

    def _read(self, size: int, deadline: float, late: str) -> bytes:
        """``size`` bytes from the socket by ``deadline``; lost as timed out, with the
        message ``late``, if not."""
        while len(self._buffer) < size:
            try:
                chunk = self._sock.recv(max(size - len(self._buffer), 65536))
            except BlockingIOError:
                if not self._ready.poll(_milliseconds(deadline)):
                    self._lose(late, "timed-out")
                continue
            except OSError:
                chunk = b""
            if not chunk:
                self._lose(*(self._ended() if not self._buffer else
                             (_("closed its connection in the middle of a reply"), "crashed")))
            self._buffer += chunk
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def _ended(self) -> tuple[str, str]:
        """Why the child's end of the socket closed, and its kind: the limit of its group
        that stopped it, if one did, else an abrupt end."""
        why = self.group.verdict() if self.group is not None else None
        if why:
            return why, "limit"
        return _("the process ended abruptly (os._exit, a crash, or killed for "
                 "exceeding a limit)"), "crashed"

    def _lose(self, reason: str, kind: str):
        """Kill the child, and raise :class:`ChildLost` for ``reason`` (of ``kind``)."""
        self.kill()
        raise ChildLost(reason, kind)

    def kill(self) -> None:
        """Kill the child and everything it started."""
        if self.alive:
            self.alive = False
            self._zygote.kill(self.pid)
        if self.group is not None:
            self.group.close()
            self.group = None
        self._sock.close()


def _milliseconds(deadline: float) -> int:
    """What is left until ``deadline``, in whole milliseconds for ``poll`` (at least 0)."""
    return max(0, math.ceil((deadline - time.monotonic()) * 1000))


def unwrap(value, depth: int = 0):
    """Rebuild tuples, lists and dicts from the child's tagged plain data.

    Raises :class:`protocol.WireError` for anything not produced by
    :func:`autograder.sandbox.child.worker.plain` (which nests at most 5 levels).
    """
    if depth > 5:
        raise protocol.WireError("nested too deeply")
    if isinstance(value, (float, np.ndarray)):
        if isinstance(value, np.ndarray) and value.dtype != np.float64:
            raise protocol.WireError("arrays must be float64")
        return value
    if isinstance(value, dict) and set(value) == {"__seq__", "items"}:
        if not isinstance(value["items"], list):
            raise protocol.WireError("unexpected value")
        items = [unwrap(v, depth + 1) for v in value["items"]]
        return tuple(items) if value["__seq__"] == "tuple" else items
    if (isinstance(value, dict) and set(value) == {"__dict__"}
            and isinstance(value["__dict__"], dict)):
        return {k: unwrap(v, depth + 1) for k, v in value["__dict__"].items()}
    raise protocol.WireError("unexpected value")
