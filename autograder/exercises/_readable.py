"""Checks whose feedback shows the functions and lists passed in the way a student reads them.

The engine's feedback describes a case by its inputs; a trusted function passed
as an argument (:func:`autograder.callables.ref`) would appear there as the
dict that crosses the sandbox boundary, and a list of micro-batches as its full
repr.  :class:`Matches` and :class:`Gradient` here are the engine's checks with
those inputs described as ``f = cubic(c=0.5) — f(x) = Σ c·x³ + sin(x)`` and
``batches = 3 pairs (X, y) of 1, 3 and 4 examples``.
"""

from __future__ import annotations

from collections.abc import Callable

from autograder import checks
from autograder.callables import Ref
from autograder.checks import describe
from autograder.spec import Inputs


def shown(inputs: Inputs) -> str:
    """:func:`autograder.checks.describe`, with functions and lists of pairs made readable."""
    return ", ".join(f"{name} = {_text(v)}" if isinstance(v, (Ref, list)) else
                     describe({name: v}) for name, v in inputs.items())


def _text(value) -> str:
    if isinstance(value, Ref):
        return str(value)
    if value and all(isinstance(v, (tuple, list)) and len(v) == 2 for v in value):
        sizes = [str(len(x)) for x, _ in value]
        listed = ", ".join(sizes[:-1]) + " and " + sizes[-1] if len(sizes) > 1 else sizes[0]
        return f"{len(value)} pair{'s' * (len(value) > 1)} (X, y) of {listed} examples"
    return f"a list of {len(value)} items"


class Readable:
    """Mixin for a check: its feedback describes the case with :func:`shown`."""

    def judge(self, call, inputs, key):
        message = super().judge(call, inputs, key)
        return message and message.replace(describe(inputs), shown(inputs), 1)


class Matches(Readable, checks.Matches):
    """:class:`autograder.checks.Matches` with readable inputs."""


class Gradient(Readable, checks.Gradient):
    """:class:`autograder.checks.Gradient` with readable inputs."""


def compared(mistakes: dict[str, dict], fn: str, public: list, hidden: Callable, *,
             names: tuple[str, ...] | None = None) -> list[checks.Check]:
    """:func:`autograder.checks.compared` with readable inputs."""
    return [Matches(1, public, names=names, mistakes=mistakes.get(fn)),
            Matches(1, hidden, names=names, mistakes=mistakes.get(fn))]


def number(rng, low: float, high: float, digits: int = 3) -> float:
    """A random float in ``[low, high)``, rounded so that feedback shows it in full."""
    return round(float(rng.uniform(low, high)), digits)
