"""Checks of values: the result against the reference's.

* :class:`Matches`  — same result as the reference (values, shapes, tuples, dicts);
* :class:`OneSided` — at a kink, either one-sided derivative is accepted;
* :class:`Stable`   — finite, accurate and warning-free on extreme inputs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.checks.base import SingleCall, call_args, each_output, pick
from autograder.checks.feedback import explain, inputs_text, named
from autograder.i18n import N_, _
from autograder.numerics.compare import close, compare, compare_arrays
from autograder.numerics.diagnose import batch_factors, diagnose, diagnosis
from autograder.spec import Check, Inputs


class Matches(SingleCall):
    """The function's result equals the reference's, within the combined tolerance,
    output by output for a part that returns a tuple.

    ``mistakes`` maps a message (marked with ``N_``: it is translated when shown, and
    names the mistake in the answer keys in English) to a function
    ``(ref, **inputs) -> wrong result`` that a typical mistake gives, so that the feedback
    can name it.
    """

    def __init__(self, points, cases, *, mistakes: dict[str, Callable] | None = None,
                 title: str | None = None, kinds: Callable[[Inputs], str] | None = None):
        super().__init__(points, cases, kinds=kinds, title=title or (
            N_("matches the reference on the public inputs") if not callable(cases)
            else N_("matches the reference on hidden random inputs")))
        self.mistakes = mistakes or {}

    @property
    def outputs(self):
        return self.returns or ()

    def answer(self, ref, inputs):
        expected = getattr(ref, self.fn)(*call_args(inputs))
        return {"expected": expected,
                "mistakes": {msg: f(ref, **inputs) for msg, f in self.mistakes.items()}}

    def judge(self, call, inputs, key):
        got = call(self.fn, call_args(inputs)).value
        return each_output(self.outputs, got, inputs,
                           lambda index, item: self.judge_item(index, item, inputs, key))

    def judge_item(self, index: int | None, got, inputs: Inputs, key) -> str | None:
        """Feedback on item ``index`` of the result (the whole result for ``None``)."""
        expected = key["expected"] if index is None else key["expected"][index]
        found = compare(got, expected)
        if found is None:
            return None
        found = named(found, self.outputs[index] if index is not None else "", index)
        wrong = {msg: pick(result, found.path) for msg, result in key["mistakes"].items()}
        return explain(inputs, found, diagnose(found, wrong, batch_factors(inputs)))


def compared(mistakes: dict[str, dict], fn: str, public: list, hidden: Callable, *,
             kinds: Callable[[Inputs], str] | None = None) -> list[Check]:
    """The two comparisons with the reference most parts have, one point each:
    on the public inputs and on hidden random ones, naming ``mistakes[fn]``."""
    return [Matches(1, cases, mistakes=mistakes.get(fn), kinds=kinds)
            for cases in (public, hidden)]


class OneSided(SingleCall):
    """At a kink, the derivative may take either one-sided value (elementwise).

    ``forward(ref, **inputs)`` is the elementwise function whose derivative the
    part computes.
    """

    description = N_("takes a one-sided value at the kink (either side is accepted)")

    def __init__(self, points, cases, *, forward: Callable, title: str | None = None,
                 kinds: Callable[[Inputs], str] | None = None):
        super().__init__(points, cases, title=title, kinds=kinds)
        self.forward = forward

    def answer(self, ref, inputs):
        name = next(iter(inputs))
        x = np.asarray(inputs[name], dtype=float)
        h = 1e-6

        def f(v):
            return np.asarray(self.forward(ref, **{**inputs, name: v}), dtype=float)

        return {"left": (f(x) - f(x - h)) / h, "right": (f(x + h) - f(x)) / h}

    def judge(self, call, inputs, key):
        got = call(self.fn, call_args(inputs)).value
        left, right = np.asarray(key["left"]), np.asarray(key["right"])
        found = compare_arrays(got, left, 1e-4, 1e-6)
        if found is None or found.where is None:
            return found and explain(inputs, found, None)
        ok = close(found.got, left, 1e-4, 1e-6) | close(found.got, right, 1e-4, 1e-6)
        if ok.all():
            return None
        where = tuple(int(i) for i in np.argwhere(~ok)[0])
        return diagnosis("kink-value", _(
            "On {inputs}:\nat index {index} the derivative is {got}, but only the left value "
            "{left} or the right value {right} is correct there.").format(
            inputs=inputs_text(inputs), index=where, got=f"{found.got[where]:g}",
            left=f"{left[where]:g}", right=f"{right[where]:g}"))


class Stable(SingleCall):
    """On extreme inputs the result is finite, warning-free and still accurate, output
    by output (a NumPy warning is the whole result's)."""

    description = N_("stays finite, accurate and warning-free on extreme inputs")

    @property
    def outputs(self):
        return self.returns or ()

    def answer(self, ref, inputs):
        return {"expected": getattr(ref, self.fn)(*call_args(inputs))}

    def judge(self, call, inputs, key):
        reply = call(self.fn, call_args(inputs))
        if reply.warnings:
            return diagnosis("numpy-warning", _(
                "On {inputs}:\nNumPy warned: {warnings}.\nA stable implementation never "
                "takes exp of a large positive number, nor the log of 0: rewrite it so that "
                "every exp gets a non-positive argument (with np.abs and np.where, or by "
                "subtracting the maximum), and take logs of sums that cannot be 0 "
                "(log-sum-exp, np.logaddexp).").format(
                inputs=inputs_text(inputs), warnings="; ".join(reply.warnings)))

        def judge_item(index, got):
            expected = key["expected"] if index is None else key["expected"][index]
            found = compare(got, expected)
            if found is None:
                return None
            found = named(found, self.outputs[index] if index is not None else "", index)
            return explain(inputs, found, diagnose(found))

        return each_output(self.outputs, reply.value, inputs, judge_item)


