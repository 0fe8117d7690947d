"""The kinds of check an exercise can declare, each a generic test of a function.

* :class:`Matches`   — same result as the reference (values, shapes, tuples, dicts);
* :class:`Gradient`  — a derivative, gradient or backward function agrees with
  central differences of the matching forward function;
* :class:`OneSided`  — at a kink, either one-sided derivative is accepted;
* :class:`Stable`    — finite, accurate and warning-free on extreme inputs;
* :class:`Unmodified`— the function leaves its arguments as they were;
* :class:`Raises`    — the function rejects bad input with the right exception.

None of them knows anything about a particular exercise: what to compute
comes in as functions of the reference module.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.numerics import gradcheck
from autograder.numerics.compare import as_array, close, compare, compare_arrays, tuple_mismatch
from autograder.numerics.diagnose import batch_factors, diagnose
from autograder.sandbox.child import callables
from autograder.spec import CallFailed, Check, Inputs, Request, Verdict

GRAD_RTOL = 1e-5
GRAD_ATOL = 1e-7
FULL_GRADIENT_LIMIT = 400  # inputs with more elements get sampled and directional checks


def describe(inputs: Inputs) -> str:
    """The inputs of a case in a line or two, as a student would write them."""
    return ", ".join(f"{name} = {_value_text(v)}" for name, v in inputs.items())


def _value_text(value) -> str:
    if isinstance(value, dict) and "__fn__" in value:  # a trusted function passed in
        return callables.describe(value)
    if isinstance(value, list) and value and all(
            isinstance(v, (tuple, list)) and len(v) == 2 for v in value):  # micro-batches
        sizes = [str(len(x)) for x, _ in value]
        listed = ", ".join(sizes[:-1]) + " and " + sizes[-1] if len(sizes) > 1 else sizes[0]
        return f"{len(value)} pair{'s' * (len(value) > 1)} (X, y) of {listed} examples"
    if isinstance(value, np.ndarray):
        if value.size <= 12:
            return np.array2string(value, precision=4, separator=", ", suppress_small=True)\
                .replace("\n", "")
        return (f"<array of shape {value.shape}, values from {value.min():.3g} "
                f"to {value.max():.3g}>")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_value_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)) and len(value) > 6:
        return f"<{type(value).__name__} of {len(value)} items>"
    return repr(value)


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
        return report(inputs, wrong_form, None)
    wrong = {}
    for index, name in enumerate(names):
        message = judge_item(index, got[index])
        if message:
            wrong[name] = message
    return wrong or None


def named(found, name: str, index: int | None):
    """``found`` (a mismatch of item ``index`` of a tuple result) named after that item,
    its path starting at the item, for diagnoses that pick from whole results."""
    if index is not None:
        found.component = name + ("" if found.component == "result" else found.component)
        found.path = (index, *found.path)
    return found


class SingleCall(Check):
    """A check that calls its function once per case, with the case's inputs."""

    def requests(self, inputs):
        return [Request(self.fn, call_args(inputs))]


class Matches(SingleCall):
    """The function's result equals the reference's, within the combined tolerance,
    output by output for a part that returns a tuple.

    ``mistakes`` maps a message to a function ``(ref, **inputs) -> wrong result``
    that a typical mistake gives, so that the feedback can name it.
    """

    def __init__(self, points, cases, *, mistakes: dict[str, Callable] | None = None,
                 title: str | None = None, kinds: Callable[[Inputs], str] | None = None):
        super().__init__(points, cases, kinds=kinds, title=title or (
            "matches the reference on the public inputs" if not callable(cases)
            else "matches the reference on hidden random inputs"))
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
        return report(inputs, found, diagnose(found, wrong, batch_factors(inputs)))


def compared(mistakes: dict[str, dict], fn: str, public: list, hidden: Callable, *,
             kinds: Callable[[Inputs], str] | None = None) -> list[Check]:
    """The two comparisons with the reference most parts have, one point each:
    on the public inputs and on hidden random ones, naming ``mistakes[fn]``."""
    return [Matches(1, cases, mistakes=mistakes.get(fn), kinds=kinds)
            for cases in (public, hidden)]


def report(inputs: Inputs, found, diagnosis: str | None, intro: str = "") -> str:
    """Feedback for one failed case: the input, the worst element, the likely mistake."""
    what = f"`{found.component}`: " if found.component != "result" else ""
    lines = [f"{intro}On {describe(inputs)}:", f"{what}{found.describe()}"]
    if diagnosis:
        lines.append(diagnosis)
    return "\n".join(lines)


class Gradient(SingleCall):
    """A derivative or gradient agrees with central differences of a forward function.

    ``forward(ref, **inputs)`` is the function differentiated: a scalar, or
    with ``elementwise=True`` an array of the same shape as its input, whose
    derivative is taken element by element (two evaluations in all).
    ``wrt`` maps each item of the student's result (its index in a tuple
    result, or ``None`` for a plain array) to the input it is the gradient
    with respect to.  Inputs of more than ``FULL_GRADIENT_LIMIT`` elements
    are checked at a few sampled elements of each input (two evaluations
    each), so the cost does not grow with the number of parameters; checks of
    many parameters add random directions (see the backprop exercise's
    ``ParamSlopes``).
    """

    def __init__(self, points, cases, *, forward: Callable, of: str,
                 wrt: dict[int | None, str], elementwise: bool = False,
                 title: str | None = None, kinds: Callable[[Inputs], str] | None = None):
        super().__init__(points, cases, kinds=kinds, title=title or (
            f"agrees with central differences of {of}"
            + (" (public inputs)" if not callable(cases) else " (hidden inputs)")))
        self.forward = forward
        self.of = of
        self.wrt = wrt
        self.elementwise = elementwise

    def answer(self, ref, inputs):
        def f(**changed):
            return self.forward(ref, **{**inputs, **changed})

        if self.elementwise:
            (name,) = self.wrt.values()
            x = inputs[name]
            return {"full": {name: gradcheck.elementwise_derivative(lambda v: f(**{name: v}), x)}}
        names = list(self.wrt.values())
        if sum(np.size(inputs[n]) for n in names) <= FULL_GRADIENT_LIMIT:
            return {"full": {n: gradcheck.numerical_gradient(lambda v, n=n: f(**{n: v}),
                                                             inputs[n]) for n in names}}
        return sampled_gradient(f, {n: np.asarray(inputs[n], dtype=float) for n in names})

    @property
    def outputs(self):
        if not self.returns or None in self.wrt:
            return ()
        return tuple(self.returns[item] for item in self.wrt)

    def judge(self, call, inputs, key):
        got = call(self.fn, call_args(inputs)).value
        intro = (f"Compared with central differences of {self.of} (the slope measured "
                 f"numerically with h = {gradcheck.H:g}). ")
        if None in self.wrt:
            return self._judge_gradient(got, self.wrt[None], inputs, key, intro)
        last = max(self.wrt)
        if not isinstance(got, (tuple, list)) or len(got) <= last:
            return (f"On {describe(inputs)}:\nexpected {self.fn} to return a tuple with the "
                    f"gradient with respect to `{self.wrt[last]}` as item {last}.")
        wrong = {}
        for item, name in self.wrt.items():
            message = self._judge_gradient(got[item], name, inputs, key, intro)
            if message:
                wrong[self.outputs[list(self.wrt).index(item)] if self.outputs
                      else name] = message
        if wrong and not self.outputs:  # a result whose items are not named: one verdict
            return "\n".join(wrong.values())
        return wrong or None

    def _judge_gradient(self, value, name: str, inputs: Inputs, key, intro: str) -> str | None:
        """Feedback on one gradient of the result, with respect to the input ``name``."""
        found = self._compare(value, name, key)
        if not found:
            return None
        found.component = f"gradient with respect to {name}"
        return report(inputs, found, diagnose(found, None, batch_factors(inputs)), intro)

    def _compare(self, value, name, key):
        if "full" in key:
            return compare_arrays(value, np.asarray(key["full"][name]), GRAD_RTOL, GRAD_ATOL)
        shape = tuple(key["shapes"][name])
        array = as_array(value)
        if array is None or array.shape != shape:  # the message for a wrong type or shape
            return compare_arrays(value, np.zeros(shape))
        index, numeric = key["samples"][name]
        index = np.asarray(index, dtype=int)  # stored as floats in the JSON keys
        found = compare_arrays(array.reshape(-1)[index], numeric, GRAD_RTOL, GRAD_ATOL)
        if found:  # expected and got stay the sampled elements: diagnoses read them
            element = np.unravel_index(int(index[found.where[0]]), shape)
            found.at = f" at the sampled element {tuple(int(i) for i in element)}"
        return found


def sampled_gradient(f: Callable, arrays: dict[str, np.ndarray], per_array: int = 6):
    """Central differences at a few random elements of each array (two evaluations each).

    Returns ``{"shapes": ..., "samples": {name: (flat indices, derivatives)}}``.
    """
    rng = np.random.default_rng([arr.size for arr in arrays.values()])
    samples = {}
    for name, arr in arrays.items():
        index = np.sort(rng.choice(arr.size, size=min(per_array, arr.size), replace=False))
        derivs = []
        for i in index:
            step = np.zeros(arr.size)
            step[i] = gradcheck.H
            step = step.reshape(arr.shape)
            derivs.append((float(f(**{name: arr + step})) - float(f(**{name: arr - step})))
                          / (2 * gradcheck.H))
        samples[name] = (index.astype(float), np.array(derivs))
    return {"shapes": {n: list(a.shape) for n, a in arrays.items()}, "samples": samples}


class OneSided(SingleCall):
    """At a kink, the derivative may take either one-sided value (elementwise).

    ``forward(ref, **inputs)`` is the elementwise function whose derivative the
    part computes.
    """

    title = "takes a one-sided value at the kink (either side is accepted)"

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
            return found and report(inputs, found, None)
        ok = close(found.got, left, 1e-4, 1e-6) | close(found.got, right, 1e-4, 1e-6)
        if ok.all():
            return None
        where = tuple(int(i) for i in np.argwhere(~ok)[0])
        return (f"On {describe(inputs)}:\nat index {where} the derivative is "
                f"{found.got[where]:g}, but only the left value {left[where]:g} or the right "
                f"value {right[where]:g} is correct there.")


class Stable(SingleCall):
    """On extreme inputs the result is finite, warning-free and still accurate, output
    by output (a NumPy warning is the whole result's)."""

    title = "stays finite, accurate and warning-free on extreme inputs"

    @property
    def outputs(self):
        return self.returns or ()

    def answer(self, ref, inputs):
        return {"expected": getattr(ref, self.fn)(*call_args(inputs))}

    def judge(self, call, inputs, key):
        reply = call(self.fn, call_args(inputs))
        if reply.warnings:
            return (f"On {describe(inputs)}:\nNumPy warned: {'; '.join(reply.warnings)}.\n"
                    "A stable implementation never takes exp of a large positive number, nor "
                    "the log of 0: rewrite it so that every exp gets a non-positive argument "
                    "(with np.abs and np.where, or by subtracting the maximum), and take logs "
                    "of sums that cannot be 0 (log-sum-exp, np.logaddexp).")

        def judge_item(index, got):
            expected = key["expected"] if index is None else key["expected"][index]
            found = compare(got, expected)
            if found is None:
                return None
            found = named(found, self.outputs[index] if index is not None else "", index)
            return report(inputs, found, diagnose(found))

        return each_output(self.outputs, reply.value, inputs, judge_item)


class Unmodified(SingleCall):
    """The function leaves every argument exactly as it was (no in-place changes)."""

    title = "leaves its inputs unmodified"
    judges_value = False

    def judge(self, call, inputs, key):
        reply = call(self.fn, call_args(inputs))
        if reply.mutated:
            names = [list(inputs)[i] for i in reply.mutated]
            return (f"{self.fn} changed its argument{'s' if len(names) > 1 else ''} "
                    f"{', '.join(f'`{n}`' for n in names)} in place. Work on a copy "
                    "(x = x.copy(), or operations that make new arrays: x * 2 rather "
                    "than x *= 2).")
        return None


class Raises(SingleCall):
    """Bad input makes the function raise ``exception`` (by its class name)."""

    judges_value = False

    def __init__(self, points, cases, *, exception: str = "ValueError", title=None):
        super().__init__(points, cases, title=title or f"raises {exception} on bad input")
        self.exception = exception

    def judge(self, call, inputs, key):
        try:
            call(self.fn, call_args(inputs))
        except CallFailed as exc:
            if exc.kind == self.exception:
                return None
            return f"On {describe(inputs)}: expected {self.exception}, but: {exc}"
        return f"On {describe(inputs)}: expected {self.exception} to be raised, but it returned."
