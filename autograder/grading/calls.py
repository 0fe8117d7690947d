"""A part's calls: prepared once for a whole class, sent in one message, replayed to the checks.

Before any submission is graded, the calls that every check of a part makes
(:meth:`~autograder.spec.Check.requests`) are collected in the order the
checks make them, identical calls that keep nothing are merged, and the lot
is encoded into one ``calls`` message: a :class:`Batch`.  For each submission
the messages of all its parts are sent as they are, with the file to load,
in one go.  The student's process answers call after call, part after part,
while the grader judges the replies already in (:class:`Replies`), and each
check's ``judge`` gets its replies from a :class:`Replay` caller, in the
order it makes its calls.  A call that is not the one declared next is made
there and then, in a round trip of its own, so a check whose calls were
declared wrongly is slower, never wrong.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from autograder.grading.keys import PlannedCheck
from autograder.sandbox import protocol
from autograder.spec import CallFailed, Reply, Request

Answer = Reply | CallFailed


@dataclass
class Batch:
    """The distinct calls of a part's checks, in the order they are sent.

    ``slots[c][k]`` lists, for case ``k`` of check ``c``, the positions in
    ``requests`` of the calls its judge makes, in order.
    """

    requests: list[Request]
    message: bytes
    slots: list[list[list[int]]]


def prepare(checks: list[PlannedCheck]) -> Batch:
    """The batch of a part's planned checks (see module docstring)."""
    requests: list[Request] = []
    merged: dict[bytes, int] = {}
    slots = []
    for planned in checks:
        per_case = []
        for inputs in planned.cases:
            positions = []
            for request in planned.check.requests(inputs):
                key = protocol.encode(request.message())
                # A call that keeps its result, or uses a kept one, is made every time.
                reusable = request.keep is None and not protocol.uses_kept(request.args)
                if not (reusable and key in merged):
                    requests.append(request)
                    if reusable:
                        merged[key] = len(requests) - 1
                positions.append(merged[key] if reusable else len(requests) - 1)
            per_case.append(positions)
        slots.append(per_case)
    message = protocol.encode(protocol.calls([r.message() for r in requests]))
    return Batch(requests, message, slots)


class Replies:
    """The answers to the calls of one part, received as they are needed.

    ``receive()`` gives the next answer on the stream from the student's
    process, or raises (:class:`~autograder.sandbox.host.ChildLost`); once it has,
    every later answer is lost for the same reason.  The parts' answers come
    back in the order the parts were sent: ``before`` (the previous part's
    replies) is received in full before the first answer of this one.
    """

    def __init__(self, count: int, receive: Callable[[], Answer],
                 before: Replies | None = None) -> None:
        self.count = count
        self._receive = receive
        self._before = before
        self._answers: list[Answer] = []
        self._lost: Exception | None = None

    def __getitem__(self, index: int) -> Answer:
        self._receive_until(index + 1)
        return self._answers[index]

    def finish(self) -> None:
        """Receive what is still to come of this part."""
        self._receive_until(self.count)

    def _receive_until(self, count: int) -> None:
        if self._before is not None:
            before, self._before = self._before, None
            try:
                before.finish()
            except Exception as exc:
                self._lost = exc
        while len(self._answers) < count:
            if self._lost is not None:
                raise self._lost
            try:
                self._answers.append(self._receive())
            except Exception as exc:
                self._lost = exc
                raise


class Replay:
    """The :class:`~autograder.spec.Caller` of one case of one check.

    Hands back the answers to the calls the check declared for this case, in
    order, as long as each call is the one declared; anything else is made
    by ``live``.
    """

    def __init__(self, batch: Batch, replies: Replies, positions: list[int],
                 live: Callable[..., Reply]) -> None:
        self.batch, self.replies, self.live = batch, replies, live
        self.pending = list(positions)

    def __call__(self, fn: str, args: list, *, keep: str | None = None,
                 pick: int | None = None) -> Reply:
        if self.pending:
            declared = self.batch.requests[self.pending[0]]
            if (declared.fn, declared.keep, declared.pick) == (fn, keep, pick) \
                    and same(declared.args, args):
                answer = self.replies[self.pending.pop(0)]
                if isinstance(answer, CallFailed):
                    raise answer
                return answer
            self.pending = []  # the check went its own way: no more replaying
        return self.live(fn, args, keep=keep, pick=pick)


def same(a, b) -> bool:
    """Whether two call arguments (plain data) are sent as the same bytes."""
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, float):  # NaN is NaN, 0.0 is not -0.0
        return struct.pack("<d", a) == struct.pack("<d", b)
    return a == b
