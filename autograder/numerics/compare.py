"""Comparing a student's result with the expected one, on the grader's side.

Tolerances combine a relative and an absolute part, the absolute part scaled
to the size of the expected array, so that correct code written another way
(``(1 - t) * (1 + t)`` for ``1 - t**2``, the tanh form of the sigmoid,
``np.logaddexp``) passes and code off by a factor, a sign or a term does not:

    |got − expected| ≤ rtol·|expected| + atol·max(1, max|expected|)   elementwise
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from autograder.i18n import _

RTOL = 1e-6
ATOL = 1e-9


@dataclass
class Mismatch:
    """Why a result is not the expected one, at its worst element.

    ``expected`` and ``got`` are the whole arrays (for diagnosis); ``where`` is
    the index of the worst element, ``None`` when the problem is not a value.
    ``problem`` and ``at`` are for the student, in the current language.
    """

    component: str
    problem: str
    expected: np.ndarray | None = None
    got: np.ndarray | None = None
    where: tuple[int, ...] | None = None
    error: float | None = None
    path: tuple = ()
    at: str = ""  # where the worst element is ("at index (1, 2)"), when ``where`` does not say it

    def sentence(self) -> str:
        """One or two sentences for the student."""
        if self.where is None:
            return self.problem
        where = self.at or (_("at index {index}").format(index=self.where)
                            if self.expected.ndim else "")
        exp = self.expected[self.where] if self.expected.ndim else self.expected
        got = self.got[self.where] if self.got.ndim else self.got
        values = dict(problem=self.problem, where=where, expected=_num(exp), got=_num(got),
                      error=f"{self.error:.2g}")
        if where:
            # Translators: {problem} is "wrong value" or "the result contains NaN"; {where}
            # is where the worst element is: "at index (1, 2)", "at the sampled element (0, 3)".
            return _("{problem} {where}: expected {expected}, got {got} "
                     "(relative error {error}).").format(**values)
        return _("{problem}: expected {expected}, got {got} (relative error {error}).").format(
            **values)


def _num(x) -> str:
    return np.format_float_positional(float(x), precision=6, unique=True, trim="-") \
        if abs(float(x)) < 1e6 or not np.isfinite(x) else f"{float(x):.6g}"


def as_array(value) -> np.ndarray | None:
    """A float result or float64 array as an array; ``None`` for anything else."""
    if isinstance(value, float):
        return np.asarray(value)
    if isinstance(value, np.ndarray):
        return value
    return None


def close(got: np.ndarray, expected: np.ndarray, rtol: float = RTOL,
          atol: float = ATOL) -> np.ndarray:
    """Elementwise: is ``got`` within the combined tolerance of ``expected``?"""
    size = np.abs(expected)
    top = float(size.max(initial=0.0))
    finite = top < np.inf  # NaN and infinities make it False
    if not finite:
        top = float(size.max(initial=0.0, where=np.isfinite(size)))
    with np.errstate(invalid="ignore", over="ignore"):
        ok = np.abs(got - expected) <= rtol * size + atol * max(1.0, top)
    if not finite:  # an infinity is matched only by the same infinity
        ok = np.where(np.isinf(expected), got == expected, ok)
    return ok


def compare(got, expected, names: tuple[str, ...] | None = None, rtol: float = RTOL,
            atol: float = ATOL) -> Mismatch | None:
    """Compare a result with the expected one; ``None`` when they agree.

    ``expected`` is an array (a scalar is a 0-d array) or a tuple of them, in
    which case ``names`` names the items (``("loss", "dpred")``).  Dicts of
    arrays are compared key by key.
    """
    if isinstance(expected, tuple):
        names = names or tuple(_("item {index}").format(index=i) for i in range(len(expected)))
        wrong_form = tuple_mismatch(got, names)
        if wrong_form:
            return wrong_form
        for name, g, e in zip(names, got, expected):
            found = compare(g, e, rtol=rtol, atol=atol)
            if found:
                inner = "" if found.component == "result" else found.component
                found.component = name + inner
                found.path = (names.index(name), *found.path)
                return found
        return None
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return Mismatch("result", _("expected a dict with keys {keys}, got {got}").format(
                keys=sorted(expected), got=_kind(got)))
        if set(got) != set(expected):
            return Mismatch("result", _("expected exactly the keys {keys}, got {got}").format(
                keys=sorted(expected), got=sorted(got)))
        for key in expected:
            found = compare(got[key], expected[key], rtol=rtol, atol=atol)
            if found:
                inner = "" if found.component == "result" else found.component
                found.component = f"[{key!r}]{inner}"
                found.path = (key, *found.path)
                return found
        return None
    return compare_arrays(got, np.asarray(expected), rtol, atol)


def tuple_mismatch(got, names: tuple[str, ...]) -> Mismatch | None:
    """Why ``got`` is not a tuple (or list) of as many values as ``names`` names, if it is not."""
    if isinstance(got, (tuple, list)) and len(got) == len(names):
        return None
    return Mismatch("result", _("expected a tuple of {count} values ({names}), got {got}").format(
        count=len(names), names=", ".join(names), got=_kind(got)))


def compare_arrays(got, expected: np.ndarray, rtol: float = RTOL,
                   atol: float = ATOL) -> Mismatch | None:
    """Compare one array result (shape, then NaN, then values)."""
    array = as_array(got)
    if array is None:
        return Mismatch("result", _("expected {expected}, got {got}").format(
            expected=_shape_text(expected), got=_kind(got)))
    if expected.ndim == 0 and array.size == 1:
        array = array.reshape(())
    if array.shape != expected.shape:
        return Mismatch("result", _("expected {expected}, got {got}").format(
            expected=_shape_text(expected), got=_shape_text(array)), expected, array)
    ok = close(array, expected, rtol, atol)
    if ok.all():
        return None
    if np.isnan(array).any() and not np.isnan(expected).any():
        where = tuple(int(i) for i in np.argwhere(np.isnan(array))[0])
        return Mismatch("result", _("the result contains NaN"), expected, array, where,
                        float("nan"))
    err = np.nan_to_num(np.where(ok, 0.0, relative_errors(array, expected)), nan=np.inf)
    where = np.unravel_index(int(np.argmax(err)), err.shape) if err.ndim else ()
    where = tuple(int(i) for i in where)
    return Mismatch("result", _("wrong value"), expected, array, where, float(err[where]))


def relative_errors(a, b, eps: float = 1e-8) -> np.ndarray:
    """``|a − b| / max(eps, |a| + |b|)``, element by element, in float64."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.abs(a - b) / np.maximum(eps, np.abs(a) + np.abs(b))


def _shape_text(a: np.ndarray) -> str:
    return _("a scalar") if a.ndim == 0 else _("an array of shape {shape}").format(shape=a.shape)


def _kind(value) -> str:
    if isinstance(value, np.ndarray):
        return _shape_text(value)
    if isinstance(value, float):
        return _("a scalar")
    if isinstance(value, (tuple, list)):
        return _("a {type} of {count} values").format(type=type(value).__name__,
                                                      count=len(value))
    if isinstance(value, dict):
        return _("a dict with keys {keys}").format(keys=sorted(value))
    return type(value).__name__
