"""Naming the mistake behind a wrong result, from what was expected and what came back.

Students make the same few mistakes with gradients, and each leaves a
fingerprint: a sign flip is an exact factor −1, a sum where a mean belongs is
an exact factor N, a transposed gradient has the transposed shape, a dropped
upstream gradient equals the local derivative alone.  :func:`diagnose` looks
for these fingerprints; exercise-specific ones (softmax over the wrong axis,
say) come in as ``mistakes``: named results that the mistake would give.

Every diagnosis names its mistake by a stable id as well (:data:`GENERIC` for the
fingerprints found here and the behaviours the checks name, :func:`autograder.spec.mistake`
for an exercise's own), carried beside the sentence as a :class:`autograder.spec.Named`
string: the class report counts mistakes by id, never by parsing sentences.
"""

from __future__ import annotations

import numpy as np

from autograder.i18n import N_, _
from autograder.numerics.compare import Mismatch, close
from autograder.spec import Named, mistake_id, shown

#: The mistakes the engine names whatever the exercise, by id, each with what it is (marked
#: with ``N_``, shown translated): the fingerprints :func:`diagnose` looks for, and the
#: behaviours the checks of :mod:`autograder.checks` recognise.
GENERIC = {
    "sign-flip": N_("a sign flip: the exact negative of the expected result"),
    "partial-sign-flip": N_("the right magnitudes with the wrong sign at some elements"),
    "missing-mean": N_("a sum where a mean belongs: exactly N (or size) times too large"),
    "extra-division": N_("an extra division: exactly N (or size) times too small"),
    "factor-two": N_("exactly twice the expected result"),
    "factor-half": N_("exactly half the expected result"),
    "constant-factor": N_("the expected result times a constant"),
    "transposed": N_("a transposed result or shape"),
    "extra-axis": N_("an axis kept that should have been summed away"),
    "lost-axis": N_("an axis summed away that should have been kept"),
    "wrong-shape": N_("a result of the wrong shape"),
    "not-finite": N_("inf or NaN where the expected result is finite"),
    "all-zeros": N_("a result of all zeros"),
    "modifies-input": N_("an input modified in place"),
    "does-not-raise": N_("bad input not rejected with the expected exception"),
    "numpy-warning": N_("NumPy warnings on extreme inputs (overflow, log of 0)"),
    "kink-value": N_("a derivative at the kink that is neither one-sided value"),
    "nonzero-mean": N_("weights drawn with a mean far from 0"),
    "wrong-std": N_("weights drawn with the wrong standard deviation"),
    "uniform-draws": N_("weights drawn from a uniform distribution, not a normal one"),
    "not-from-rng": N_("weights not drawn from the generator given, in one call"),
    "training-exploded": N_("a training run whose loss became inf or NaN"),
}


def diagnosis(mistake: str, text: str) -> Named:
    """``text``, a sentence that names the generic mistake ``mistake`` (an id of
    :data:`GENERIC`)."""
    if mistake not in GENERIC:
        raise ValueError(f"{mistake!r} is not a generic mistake (see GENERIC)")
    return Named(text, (mistake,))


def batch_factors(inputs: dict) -> dict[float, str]:
    """The sizes a misplaced sum or mean would scale a result by, from the inputs.

    ``N``: the first axis of the first array input (the batch); ``size``: its
    number of elements.  Returns ``{factor: description}``.
    """
    arrays = [v for v in inputs.values() if isinstance(v, np.ndarray) and v.ndim >= 1]
    if not arrays:
        return {}
    n, size = arrays[0].shape[0], arrays[0].size
    factors = {}
    if size > 1 and size != n:
        factors[float(size)] = _("the number of elements ({size})").format(size=size)
    if n > 1:
        factors[float(n)] = _("the batch size N = {n}").format(n=n)
    return factors


def diagnose(m: Mismatch, mistakes: dict[str, np.ndarray] | None = None,
             factors: dict[float, str] | None = None) -> Named | None:
    """A sentence naming the likely mistake, with its id (:class:`Named`), or ``None`` when
    nothing fits; ``mistakes`` are named by their declared messages (translated here)."""
    if m.expected is None or m.got is None:
        return None
    exp, got = m.expected, m.got
    for message, wrong in (mistakes or {}).items():
        wrong = np.asarray(wrong)
        if wrong.shape == got.shape and close(got, wrong).all():
            return Named(shown(message), (mistake_id(message),))
    if got.shape != exp.shape:
        return _shape_mistake(got.shape, exp.shape)
    if exp.ndim == 2 and exp.shape[0] == exp.shape[1] and close(got, exp.T).all():
        return diagnosis("transposed", _(
            "Your result is the transpose of the expected one: check the order of the factors "
            "in a matrix product (a gradient has the shape of the thing it is the gradient of)."))
    if not np.isfinite(got).all():
        return diagnosis("not-finite", _(
            "Your result contains inf or NaN where the expected one is finite: something "
            "overflowed (exp of a large number?) or divided by zero."))
    if not got.any() and exp.any():
        return diagnosis("all-zeros", _("Your result is all zeros."))
    return _factor_mistake(got, exp, factors or {})


def _shape_mistake(got: tuple, exp: tuple) -> Named:
    if len(got) == 2 and got == exp[::-1]:
        return diagnosis("transposed", _(
            "Your result has the transposed shape {got} instead of {expected}: check the order "
            "of the factors in a matrix product (a gradient has the shape of the thing it is "
            "the gradient of).").format(got=got, expected=exp))
    if len(got) > len(exp) and got[len(got) - len(exp):] == exp:
        return diagnosis("extra-axis", _(
            "Your result keeps an axis that should have been summed away — a gradient of a "
            "parameter shared by the whole batch sums over the batch axis (axis 0)."))
    if len(got) < len(exp):
        return diagnosis("lost-axis", _(
            "Your result has lost an axis: a sum or mean went over an axis it should not "
            "(check the `axis=` argument)."))
    return diagnosis("wrong-shape", _(
        "The shape is wrong: the result should have the shape of the thing it is the value "
        "or gradient of."))


def _factor_mistake(got: np.ndarray, exp: np.ndarray,
                    factors: dict[float, str]) -> Named | None:
    denom = float(np.sum(exp * exp))
    if denom == 0:
        return None
    c = float(np.sum(got * exp)) / denom
    if not close(got, c * exp, rtol=1e-6).all() or abs(c - 1) < 1e-6:
        if close(np.abs(got), np.abs(exp)).all():
            return diagnosis("partial-sign-flip", _(
                "The magnitudes are right but the sign is wrong at some elements: check "
                "which branch of a piecewise formula gets which sign."))
        return None
    if abs(c + 1) < 1e-6:
        return diagnosis("sign-flip", _(
            "This is a sign flip: your result is exactly the negative of the expected one. "
            "Check the order of a subtraction (pred − target, not target − pred) or a minus "
            "sign in a derivative."))
    for factor, what in factors.items():
        if abs(c / factor - 1) < 1e-6:
            return diagnosis("missing-mean", _(
                "Your result is exactly {factor}× too large — {what}. It looks like a sum "
                "where the mean is expected (a missing division).").format(
                factor=f"{factor:g}", what=what))
        if abs(c * factor - 1) < 1e-6:
            return diagnosis("extra-division", _(
                "Your result is exactly {factor}× too small — {what}. It looks like an extra "
                "division (averaging twice).").format(factor=f"{factor:g}", what=what))
    if got.size == 1 and abs(abs(c) - 2) > 1e-6 and abs(abs(c) - 0.5) > 1e-6:
        return None  # any wrong number is some multiple of the right one
    if abs(c - 2) < 1e-6 or abs(c - 0.5) < 1e-6:
        return _factor_two(twice=c > 1)
    return diagnosis("constant-factor", _(
        "Your result is the expected one times {factor}: the pattern is right but a constant "
        "factor is off.").format(factor=f"{c:.4g}"))


def _factor_two(twice: bool) -> Named:
    if twice:
        return diagnosis("factor-two", _(
            "Your result is exactly twice the expected one: a factor of 2 is usually a ½ "
            "convention (this course uses none: MSE is mean((pred − target)²)) or the 2 of the "
            "power rule dropped or doubled."))
    return diagnosis("factor-half", _(
        "Your result is exactly half the expected one: a factor of 2 is usually a ½ convention "
        "(this course uses none: MSE is mean((pred − target)²)) or the 2 of the power rule "
        "dropped or doubled."))
