"""Chapter 1: derivatives, gradient descent and the chain rule.

Numerical derivatives by central differences are the yardstick for every analytic gradient
in the course; gradient descent and gradient accumulation are the first things built on them.
"""

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    """Central-difference gradient of a scalar-valued function.

    Element ``i`` of the result is ``(f(x + h·e_i) − f(x − h·e_i)) / (2h)``, where ``e_i``
    is the ``i``-th unit array of ``x``'s shape.

    Args:
        f: callable taking an array shaped like ``x`` and returning a scalar.
        x: array of any shape ``S`` (a Python float is treated as a 0-d array).
        h: step size, a float.

    Returns:
        ``(S)`` float64 array: the estimated gradient. ``x`` holds its original values
        afterwards (it is never modified).
    """
    # Hint: work on a float64 copy of x, perturb one entry at a time and put it back.
    raise NotImplementedError("numerical_gradient: your code here")


def relative_error(a, b, eps=1e-8):
    """Largest elementwise relative error between two arrays.

    ``max over elements of |a − b| / max(eps, |a| + |b|)``.

    Args:
        a, b: arrays of the same shape ``S`` (or scalars).
        eps: floor of the denominator, a float; it keeps ``0`` vs ``0`` at error ``0``.

    Returns:
        A Python float (``0.0`` for empty arrays).
    """
    raise NotImplementedError("relative_error: your code here")


def gradient_descent(grad_fn, w0, lr, steps):
    """Plain gradient descent ``w ← w − lr·grad_fn(w)``.

    Args:
        grad_fn: callable mapping ``w`` (shape ``S``) to its gradient (shape ``S``).
        w0: starting point, array of shape ``S`` or a Python float (``S = ()``).
        lr: learning rate, a float.
        steps: number of updates, an int ``≥ 0``.

    Returns:
        ``(steps + 1, *S)`` float64 array: the history, ``history[0] == w0`` and
        ``history[k]`` the point after ``k`` updates.
    """
    raise NotImplementedError("gradient_descent: your code here")


def chain_rule(f_prime, g, g_prime, x):
    """Derivative of the composition ``f(g(x))`` for elementwise ``f`` and ``g``.

    ``d/dx f(g(x)) = f'(g(x)) · g'(x)``, elementwise.

    Args:
        f_prime: elementwise derivative of the outer function.
        g: elementwise inner function.
        g_prime: elementwise derivative of the inner function.
        x: array of any shape ``S`` (or a float).

    Returns:
        ``(S)`` float64 array: the derivative at every element of ``x``.
    """
    raise NotImplementedError("chain_rule: your code here")


def accumulate_gradients(grad_fn, w, batches):
    """Mean gradient over all examples of several micro-batches.

    ``grad_fn(w, X, y)`` returns the **mean** gradient over the examples of one batch, so
    the overall mean is ``Σ_b len(X_b)·g_b / Σ_b len(X_b)``: each batch's mean gradient is
    weighted by its size (batches may have unequal sizes).

    Args:
        grad_fn: callable ``(w, X, y) -> gradient`` shaped like ``w``.
        w: parameter array of shape ``S``.
        batches: non-empty list of ``(X, y)`` pairs, ``X`` of shape ``(N_b, ...)``.

    Returns:
        ``(S)`` float64 array: the mean gradient over all ``Σ_b N_b`` examples.
    """
    # Hint: a plain average of the batch gradients is wrong when the batches differ in size.
    raise NotImplementedError("accumulate_gradients: your code here")
