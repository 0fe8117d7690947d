"""Numerical derivatives in float64: the ground truth every gradient is held against.

Central differences, ``(f(x + h·e_i) − f(x − h·e_i)) / 2h``, have an error of
order ``h²`` for smooth ``f``; with ``h = 1e-5`` in float64 a correct analytic
gradient agrees to a relative error of about 1e-7 or better.  For functions of
many parameters a *directional* check compares ``⟨∇f(x), v⟩`` with
``(f(x + h·v) − f(x − h·v)) / 2h`` for a few random unit directions ``v``: two
evaluations per direction, whatever the number of parameters.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.numerics.compare import relative_errors

H = 1e-5


def relative_error(a, b, eps: float = 1e-8) -> float:
    """``max |a − b| / max(eps, |a| + |b|)`` over all elements (0 for empty arrays)."""
    errors = relative_errors(a, b, eps)
    return float(np.max(errors)) if errors.size else 0.0


def partial_derivatives(f: Callable[[np.ndarray], float], x: np.ndarray, indices,
                        h: float = H) -> np.ndarray:
    """Central differences of a scalar-valued ``f`` at ``x`` along the elements of ``x``
    at the flat ``indices``: ``(f(x + h·e_i) − f(x − h·e_i)) / 2h`` for each ``i``.

    ``x`` itself is never modified: every evaluation gets a fresh perturbed copy.
    """
    x = np.asarray(x, dtype=np.float64)
    out = np.empty(len(indices))
    for k, i in enumerate(indices):
        step = np.zeros(x.size)
        step[i] = h
        step = step.reshape(x.shape)
        out[k] = (float(f(x + step)) - float(f(x - step))) / (2 * h)
    return out


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = H) -> np.ndarray:
    """Central-difference gradient of a scalar-valued ``f`` at ``x`` (any shape), shaped
    like ``x``."""
    x = np.array(x, dtype=np.float64)
    return partial_derivatives(f, x, range(x.size), h).reshape(x.shape)


def elementwise_derivative(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray,
                           h: float = H) -> np.ndarray:
    """Derivative of an elementwise ``f`` at every element of ``x``: two evaluations in all."""
    x = np.asarray(x, dtype=np.float64)
    plus = np.asarray(f(x + h), dtype=np.float64)
    return (plus - np.asarray(f(x - h), dtype=np.float64)) / (2 * h)


def directional_derivative(f: Callable[..., float], inputs: dict[str, np.ndarray],
                           direction: dict[str, np.ndarray], h: float = H) -> float:
    """``(f(inputs + h·v) − f(inputs − h·v)) / 2h`` for a direction ``v`` over several arrays.

    ``f`` takes the arrays of ``inputs`` as keyword arguments; ``direction`` has
    an array of the same shape for every key of ``inputs`` it perturbs.
    """
    plus = {k: v + h * direction[k] if k in direction else v for k, v in inputs.items()}
    minus = {k: v - h * direction[k] if k in direction else v for k, v in inputs.items()}
    return (float(f(**plus)) - float(f(**minus))) / (2 * h)


def random_directions(shapes: dict[str, tuple[int, ...]], count: int,
                      rng: np.random.Generator) -> list[dict[str, np.ndarray]]:
    """``count`` random directions of unit total norm over arrays of the given shapes."""
    out = []
    for _i in range(count):
        v = {k: rng.standard_normal(s) for k, s in shapes.items()}
        norm = np.sqrt(sum(float(np.sum(a * a)) for a in v.values())) or 1.0
        out.append({k: a / norm for k, a in v.items()})
    return out
