"""What every check builds on: the arguments of a call, one call per case, results judged
output by output."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.checks.feedback import explain
from autograder.numerics.compare import tuple_mismatch
from autograder.spec import Check, Inputs, Request, Verdict


def call_args(inputs: Inputs) -> list:
    """Fresh copies of the inputs, in order, ready to send."""
    return [np.array(v) if isinstance(v, np.ndarray) else v for v in inputs.values()]


def pick(value, path: tuple):
    """The item of a nested result at ``path`` (a tuple of indices or keys)."""
    for step in path:
        value = value[step]
    return value


def each_output(names: tuple[str, ...], got, inputs: Inputs,
                judge_item: Callable[[int | None, object], str | None]) -> Verdict:
    """Judge a result output by output: ``judge_item(index, item)`` for each item of a
    tuple result named ``names``, or ``judge_item(None, got)`` for the whole result when
    ``names`` is empty.  A result that is not such a tuple is wrong as a whole."""
    if not names:
        return judge_item(None, got)
    wrong_form = tuple_mismatch(got, names)
    if wrong_form:
        return explain(inputs, wrong_form, None)
    wrong = {}
    for index, name in enumerate(names):
        message = judge_item(index, got[index])
        if message:
            wrong[name] = message
    return wrong or None


class SingleCall(Check):
    """A check that calls its function once per case, with the case's inputs."""

    def requests(self, inputs):
        return [Request(self.fn, call_args(inputs))]
