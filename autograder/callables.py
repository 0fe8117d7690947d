"""Trusted functions that checks pass *into* a student's function (``f``, ``grad_fn``, ``loss_fn``).

A function cannot cross the sandbox boundary, so a check sends its name and
arguments instead — ``{"__fn__": "cubic", "args": [c]}`` — and the student's
process builds it here with :func:`make`.  The module is loaded into the
sandbox's warm worker before any submission, and it uses NumPy only.
Register a factory with :func:`factory`; the grader's side can call
:func:`make` too, to compute the same function's reference answers.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

FACTORIES: dict[str, Callable[..., Callable]] = {}


def factory(fn: Callable[..., Callable]) -> Callable[..., Callable]:
    """Register ``fn`` (which returns the function to pass) under its name."""
    FACTORIES[fn.__name__] = fn
    return fn


def make(name: str, *args) -> Callable:
    """The function that factory ``name`` builds from ``args``."""
    return FACTORIES[name](*args)


def ref(name: str, *args) -> dict:
    """What a check sends in place of the function: ``{"__fn__": name, "args": [...]}``."""
    return {"__fn__": name, "args": list(args)}


@factory
def cubic(c):
    """``f(x) = Σ c·x³ + sin(x)``: a smooth scalar function of an array of any shape."""
    c = np.asarray(c, dtype=np.float64)
    return lambda x: float(np.sum(c * np.asarray(x) ** 3 + np.sin(x)))
