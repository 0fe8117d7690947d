"""A part's calls go to the student's process in one message and are replayed to its checks.

Replaying is right only if every check declares (``requests``) exactly the calls
its ``judge`` makes, in order; the first test holds every check of every exercise
to that, on the reference solution run by the child's own code in this process.
"""

from __future__ import annotations

import time

import pytest

from autograder import exercises
from autograder.grading.calls import Batch, Replay, Replies, prepare
from autograder.grading.grader import StudentProcess
from autograder.grading.keys import PlannedCheck, plan
from autograder.grading.reference import CHECKOUT_SOLUTIONS, load_reference
from autograder.sandbox import protocol
from autograder.sandbox.channel import unwrap
from autograder.sandbox.child import worker as child
from autograder.sandbox.host import Limits, Zygote
from autograder.spec import CallFailed, Check, Reply, Request


class Recorder:
    """A caller that runs the reference solution with the child's own code, and records
    every call made through it (encoded, as it would be sent)."""

    def __init__(self, exercise_id: str) -> None:
        self.session = child.Session(child.CappedText())
        source = (CHECKOUT_SOLUTIONS / f"{exercise_id}.py").read_text()
        self.session.load(f"recorded_{exercise_id}", f"{exercise_id}.py", [source])
        self.made: list[bytes] = []

    def __call__(self, fn, args, *, keep=None, pick=None) -> Reply:
        request = Request(fn, args, keep, pick)
        self.made.append(protocol.encode(request.message()))
        sent = protocol.decode(protocol.encode(request.message()))
        reply = protocol.decode(protocol.encode(self.session.call(fn, sent["args"], keep, pick)))
        if not reply["ok"]:
            raise CallFailed(reply["message"], reply.get("type"))
        return Reply(unwrap(reply["value"]), reply["warnings"], reply["mutated"])


@pytest.mark.parametrize("seed", [0, 20261128])
@pytest.mark.parametrize("exercise_id", exercises.ids())
def test_every_check_declares_the_calls_its_judge_makes(exercise_id, seed):
    exercise = exercises.load(exercise_id)
    planned = plan(exercise, seed, load_reference(exercise_id), hidden=True)
    caller = Recorder(exercise_id)
    for part in exercise.parts:
        for p in planned[part.name]:
            for inputs, key in zip(p.cases, p.keys):
                caller.made.clear()
                assert p.check.judge(caller, inputs, key) is None, (part.name, p.check.title)
                declared = [protocol.encode(r.message()) for r in p.check.requests(inputs)]
                assert caller.made == declared, (part.name, p.check.title)


class Declares(Check):
    """A check that declares the given calls (its judge is not run here)."""

    def __init__(self, *calls: Request) -> None:
        super().__init__(1, [{}])
        self.calls = list(calls)

    def requests(self, inputs):
        return self.calls


def test_identical_calls_are_made_once_but_kept_ones_every_time():
    plain, keeping = Request("f", [1.0]), Request("f", [1.0], keep="k")
    using = Request("g", [{"__kept__": "k", "item": 0}])
    checks = [PlannedCheck(Declares(plain, keeping, using), [{}], [None]),
              PlannedCheck(Declares(plain, keeping, using), [{}], [None])]
    batch = prepare(checks)
    assert batch.requests == [plain, keeping, using, keeping, using]
    assert batch.slots == [[[0, 1, 2]], [[0, 3, 4]]]
    assert protocol.decode(batch.message)["calls"][1] == keeping.message()


DECLARED = Request("f", [-0.0, {"x": 1.0}], keep=None, pick=None)


@pytest.mark.parametrize("fn, args, options", [
    ("g", [-0.0, {"x": 1.0}], {}),  # another function
    ("f", [0.0, {"x": 1.0}], {}),  # 0.0 is sent as other bytes than -0.0
    ("f", [-0.0, {"x": 2.0}], {}),
    ("f", [-0.0, {"y": 1.0}], {}),
    ("f", [-0.0, {"x": 1.0}], {"pick": 0}),
    ("f", [-0.0, {"x": 1.0}], {"keep": "k"}),
])
def test_a_call_not_declared_is_made_live(fn, args, options):
    replies = Replies(1, lambda: Reply("from the batch"))
    batch = Batch([DECLARED], b"", [[[0]]])
    replay = Replay(batch, replies, [0], lambda *a, **k: Reply("live"))
    assert replay(fn, args, **options).value == "live"
    assert replay(DECLARED.fn, DECLARED.args).value == "live", "no replaying after that"


def test_a_part_reads_its_answers_after_the_previous_part_has_all_of_its_own():
    stream = iter(range(5))
    first = Replies(3, lambda: next(stream))
    second = Replies(2, lambda: next(stream), before=first)
    assert first[0] == 0
    assert second[0] == 3 and second[1] == 4
    assert [first[i] for i in range(3)] == [0, 1, 2]


def test_a_live_call_waits_for_every_answer_sent_before_it():
    source = "def f(x):\n    return 2.0 * x\n\ndef g(x):\n    return x + 1.0\n"
    parts = {name: prepare([PlannedCheck(Declares(Request(name, [1.0]), Request(name, [2.0])),
                                         [{}], [None])]) for name in ("f", "g")}
    with Zygote("process") as zygote:
        process = StudentProcess(zygote, Limits(), "module", "module.py", [source], parts)
        assert process.start()["functions"] == ["f", "g"]
        process.deadline = time.monotonic() + 10
        assert process("f", [5.0]).value == 10.0
        assert [process.replies["g"][i].value for i in (0, 1)] == [2.0, 3.0]
        process.close()


def test_the_declared_call_gets_the_batch_answer_and_failures_raise():
    answers = iter([Reply("first"), CallFailed("it raised", "ValueError")])
    replies = Replies(2, lambda: next(answers))
    batch = Batch([DECLARED, Request("g", [])], b"", [[[0, 1]]])
    replay = Replay(batch, replies, [0, 1], lambda *a, **k: pytest.fail("made live"))
    assert replay("f", [-0.0, {"x": 1.0}]).value == "first"
    with pytest.raises(CallFailed, match="it raised"):
        replay("g", [])


def test_a_lost_process_loses_every_later_answer():
    stream = iter([RuntimeError("took longer than the time limit"), Reply("too late")])

    def receive():
        item = next(stream)
        if isinstance(item, Exception):
            raise item
        return item

    replies = Replies(3, receive)
    for index in (0, 2):
        with pytest.raises(RuntimeError, match="time limit"):
            replies[index]
    following = Replies(1, receive, before=replies)
    with pytest.raises(RuntimeError, match="time limit"):
        following[0]
