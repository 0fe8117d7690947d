"""Gradient checks: a derivative, gradient or backward function against central
differences of the matching forward function.

* :class:`Gradient` — element by element for small inputs, at sampled elements for large ones;
* :class:`ParamSlopes` — the gradients of a dict of parameters, at sampled elements and along
  random directions through all of them at once;
* :class:`CentralDifference` — a student's own central difference, against the exact one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.checks.base import SingleCall, call_args
from autograder.checks.feedback import explain, inputs_text
from autograder.checks.values import Matches
from autograder.i18n import N_, _
from autograder.numerics import gradcheck
from autograder.numerics.compare import as_array, close, compare_arrays
from autograder.numerics.diagnose import batch_factors, diagnose
from autograder.spec import Inputs, Text, naming, shown

GRAD_RTOL = 1e-5


GRAD_ATOL = 1e-7


FULL_GRADIENT_LIMIT = 400  # inputs with more elements get sampled and directional checks


def slopes_title(of: str, public: bool) -> Text:
    """The title of a check against central differences of ``of`` (a name of code, or a
    phrase marked with ``N_``)."""
    if public:
        # Translators: {of} is a function in code ("sigmoid", "sum(dout · out)") or a phrase
        # such as "the MSE loss".
        return Text(N_("agrees with central differences of {of} (public inputs)"), of=Text(of))
    return Text(N_("agrees with central differences of {of} (hidden inputs)"), of=Text(of))


def slopes_intro(of: str) -> str:
    """What a gradient is compared with, for the student: central differences of ``of``."""
    return _("Compared with central differences of {of} (the slope measured numerically "
             "with h = {h}).").format(of=shown(of), h=f"{gradcheck.H:g}")


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
        super().__init__(points, cases, kinds=kinds,
                         title=title or slopes_title(of, not callable(cases)))
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
        intro = slopes_intro(self.of)
        if None in self.wrt:
            return self._judge_gradient(got, self.wrt[None], inputs, key, intro)
        last = max(self.wrt)
        if not isinstance(got, (tuple, list)) or len(got) <= last:
            return _("On {inputs}:\nexpected {fn} to return a tuple with the gradient with "
                     "respect to `{name}` as item {item}.").format(
                inputs=inputs_text(inputs), fn=self.fn, name=self.wrt[last], item=last)
        wrong = {}
        for item, name in self.wrt.items():
            message = self._judge_gradient(got[item], name, inputs, key, intro)
            if message:
                wrong[self.outputs[list(self.wrt).index(item)] if self.outputs
                      else name] = message
        if wrong and not self.outputs:  # a result whose items are not named: one verdict
            return naming("\n".join(wrong.values()), *wrong.values())
        return wrong or None

    def _judge_gradient(self, value, name: str, inputs: Inputs, key, intro: str) -> str | None:
        """Feedback on one gradient of the result, with respect to the input ``name``."""
        found = self._compare(value, name, key)
        if not found:
            return None
        found.component = _("The gradient with respect to `{name}`").format(name=name)
        return explain(inputs, found, diagnose(found, None, batch_factors(inputs)), intro)

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
            found.at = _("at the sampled element {index}").format(
                index=tuple(int(i) for i in element))
        return found


def sampled_gradient(f: Callable, arrays: dict[str, np.ndarray], per_array: int = 6):
    """Central differences at a few random elements of each array (two evaluations each).

    Returns ``{"shapes": ..., "samples": {name: (flat indices, derivatives)}}``.
    """
    rng = np.random.default_rng([arr.size for arr in arrays.values()])
    samples = {}
    for name, arr in arrays.items():
        index = np.sort(rng.choice(arr.size, size=min(per_array, arr.size), replace=False))
        derivs = gradcheck.partial_derivatives(lambda v, name=name: f(**{name: v}), arr, index)
        samples[name] = (index.astype(float), derivs)
    return {"shapes": {n: list(a.shape) for n, a in arrays.items()}, "samples": samples}


DIRECTIONS = 3  # random directions per case in a directional gradient check


class ParamSlopes(SingleCall):
    """The gradients of the arrays of ``params`` agree with central differences of ``forward``.

    ``forward(ref, **inputs)`` is a scalar; the student's gradients are a dict
    result (or item ``item`` of a tuple result) with the keys of ``params``.
    Each case is checked at a few sampled elements of every parameter — which
    say which gradient is wrong, and where — and along :data:`DIRECTIONS`
    random directions through all parameters at once, two evaluations each
    whatever the number of parameters, which catch the elements not sampled.
    """

    def __init__(self, points, cases, *, forward: Callable, of: str, item: int | None = None,
                 title: str | None = None, kinds: Callable | None = None) -> None:
        super().__init__(points, cases, kinds=kinds,
                         title=title or slopes_title(of, not callable(cases)))
        self.forward, self.of, self.item = forward, of, item

    @property
    def outputs(self):
        return (self.returns[self.item],) if self.returns and self.item is not None else ()

    def answer(self, ref, inputs):
        params = {k: np.asarray(v, dtype=np.float64) for k, v in inputs["params"].items()}

        def f(**changed):
            return self.forward(ref, **{**inputs, "params": {**params, **changed}})

        rng = np.random.default_rng([a.size for a in params.values()])
        directions = gradcheck.random_directions({k: a.shape for k, a in params.items()},
                                                 DIRECTIONS, rng)
        return {**sampled_gradient(f, params), "directions": directions,
                "slopes": [gradcheck.directional_derivative(f, params, v) for v in directions]}

    def judge(self, call, inputs, key):
        got = call(self.fn, call_args(inputs)).value
        if self.item is not None:
            got = got[self.item] if isinstance(got, (tuple, list)) and len(got) > self.item \
                else None
        shapes = {k: tuple(s) for k, s in key["shapes"].items()}
        if not isinstance(got, dict) or set(got) != set(shapes):
            return self._not_a_dict(got, sorted(shapes))
        intro = slopes_intro(self.of)
        for name, shape in shapes.items():
            value = got[name]
            if not isinstance(value, np.ndarray) or value.shape != shape:
                found = compare_arrays(value, np.zeros(shape))  # says what is wrong with it
                found.component = _("The gradient of `{name}`").format(name=name)
                return explain(inputs, found, diagnose(found), intro)
            message = self._sampled(value, name, shape, key, inputs, intro)
            if message:
                return message
        for direction, slope in zip(key["directions"], key["slopes"]):
            mine = sum(float(np.sum(got[k] * direction[k])) for k in shapes)
            if not close(np.asarray(mine), np.asarray(slope), GRAD_RTOL, GRAD_ATOL).all():
                return intro + " " + _(
                    "On {inputs}:\nalong a random direction through all the parameters the "
                    "slope is {slope}, but your gradients give {mine}: some entries that were "
                    "not sampled one by one are wrong.").format(
                    inputs=inputs_text(inputs), slope=f"{slope:.6g}", mine=f"{mine:.6g}")
        return None

    def _not_a_dict(self, got, keys: list[str]) -> str:
        """Feedback on gradients that are not a dict with the keys of params."""
        # Translators: what came back instead, in "…; got {given}." below.
        given = _("the keys {keys}").format(keys=sorted(got)) if isinstance(got, dict) \
            else _("something else")
        if self.item is None:
            return _("Expected the gradients as a dict with exactly the keys of params, "
                     "{keys}; got {given}.").format(keys=keys, given=given)
        return _("Expected the gradients as item {item} of the result as a dict with exactly "
                 "the keys of params, {keys}; got {given}.").format(item=self.item, keys=keys,
                                                                   given=given)

    @staticmethod
    def _sampled(value, name, shape, key, inputs, intro) -> str | None:
        """Feedback on the first wrong sampled element of one gradient, if any."""
        index, numeric = key["samples"][name]
        index = np.asarray(index, dtype=int)
        mine = value.reshape(-1)[index]
        found = compare_arrays(mine, np.asarray(numeric), GRAD_RTOL, GRAD_ATOL)
        if not found:
            return None
        diagnosis = diagnose(found, None, batch_factors(inputs)) if index.size > 2 else None
        found.where = tuple(int(i) for i in np.unravel_index(index[found.where[0]], shape))
        found.expected, found.got = _spread(numeric, index, shape), _spread(mine, index, shape)
        found.component = _("The gradient of `{name}`").format(name=name)
        return explain(inputs, found, diagnosis, intro)


def _spread(values, index: np.ndarray, shape: tuple) -> np.ndarray:
    """An array of ``shape``, NaN but for ``values`` at the flat positions ``index``."""
    out = np.full(int(np.prod(shape)), np.nan)
    out[index] = values
    return out.reshape(shape)


class CentralDifference(Matches):
    """``numerical_gradient(f, x, h)`` equals the central difference computed here.

    The answer comes from :func:`autograder.numerics.gradcheck.numerical_gradient` with the
    case's ``h`` (``1e-5`` when the case leaves it to the default).
    """

    def answer(self, ref, inputs):
        expected = gradcheck.numerical_gradient(inputs["f"], inputs["x"],
                                                inputs.get("h", gradcheck.H))
        return {"expected": expected,
                "mistakes": {msg: f(ref, **inputs) for msg, f in self.mistakes.items()}}
