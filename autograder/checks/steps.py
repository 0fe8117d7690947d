"""Several consecutive calls of an optimizer's update, each fed what the last returned."""

from __future__ import annotations

from functools import partial

from autograder.checks.base import call_args, each_output, pick
from autograder.checks.feedback import explain, named
from autograder.i18n import N_, _
from autograder.numerics.compare import compare
from autograder.numerics.diagnose import diagnose
from autograder.sandbox import protocol
from autograder.spec import Check, Request, Text


class Steps(Check):
    """Several consecutive calls of an update ``f(params, grads, state, …) -> (params, state)``.

    A case holds the function's inputs, except that ``grads`` is a list of
    gradient dicts, one per step.  Step 1 gets the case's ``params`` and state;
    every later step gets what the student's previous call returned.
    ``state`` names the argument that carries the optimizer's state;
    ``mistakes`` are update functions ``(ref, **inputs)`` that make a typical
    mistake, run the same way so that the feedback can name it.
    """

    def __init__(self, points, cases, *, state: str, mistakes: dict | None = None):
        super().__init__(points, cases, title=Text(
            N_("carries params and {state} over several consecutive steps (public inputs)")
            if not callable(cases) else
            N_("carries params and {state} over several consecutive steps (hidden inputs)"),
            state=state))
        self.state = state
        self.mistakes = mistakes or {}

    @property
    def outputs(self):
        return self.returns or ()

    def run(self, step, inputs) -> list[tuple]:
        """The ``(params, state)`` after each step, ``step`` taking keyword arguments."""
        params, state, after = inputs["params"], inputs[self.state], []
        for grads in inputs["grads"]:
            params, state = step(**{**inputs, "params": params, "grads": grads,
                                    self.state: state})
            after.append((params, state))
        return after

    def answer(self, ref, inputs):
        return {"expected": self.run(getattr(ref, self.fn), inputs),
                "mistakes": {msg: self.run(partial(f, ref), inputs)
                             for msg, f in self.mistakes.items()}}

    def calls(self, inputs):
        """Each step's ``(arguments by name, name its result is kept under)``: after
        step 1, params and state are the previous step's, kept in the student's process."""
        fed = {"params": inputs["params"], self.state: inputs[self.state]}
        for k, grads in enumerate(inputs["grads"]):
            handle = f"{self.fn} step {k}"
            yield {**inputs, **fed, "grads": grads}, handle
            fed = {"params": protocol.kept(handle, 0), self.state: protocol.kept(handle, 1)}

    def requests(self, inputs):
        return [Request(self.fn, call_args(args), keep=handle)
                for args, handle in self.calls(inputs)]

    def judge(self, call, inputs, key):
        """Judged step after step; the first step with a wrong output ends the case, and
        its wrong outputs are the case's (a wrong state makes later params wrong too)."""
        count = len(inputs["grads"])
        shown = {"params": inputs["params"], self.state: inputs[self.state]}
        for k, (args, handle) in enumerate(self.calls(inputs)):
            got = call(self.fn, call_args(args), keep=handle).value
            expected = key["expected"][k]
            intro = _("Step {step} of {count} (after step 1, each call gets the params and "
                      "{state} that your previous call returned).").format(
                step=k + 1, count=count, state=self.state)
            case = {**args, **shown}

            def judge_item(index, item, k=k, intro=intro, expected=expected, case=case):
                found = compare(item, expected[index])
                if found is None:
                    return None
                found = named(found, self.outputs[index], index)
                wrong = {msg: pick(after[k], found.path)
                         for msg, after in key["mistakes"].items()}
                return explain(case, found, diagnose(found, wrong), intro)

            verdict = each_output(self.outputs, got, case, judge_item)
            if verdict:
                return verdict
            shown = {"params": expected[0], self.state: expected[1]}
        return None
