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
    point = np.array(x, dtype=np.float64)  # private copy: the caller's x is never touched
    grad = np.zeros_like(point)
    flat_point = point.reshape(-1)
    flat_grad = grad.reshape(-1)
    for i in range(flat_point.size):
        original = flat_point[i]
        flat_point[i] = original + h
        f_plus = float(f(point))
        flat_point[i] = original - h
        f_minus = float(f(point))
        flat_point[i] = original
        flat_grad[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def relative_error(a, b, eps=1e-8):
    """Largest elementwise relative error between two arrays.

    ``max over elements of |a − b| / max(eps, |a| + |b|)``.

    Args:
        a, b: arrays of the same shape ``S`` (or scalars).
        eps: floor of the denominator, a float; it keeps ``0`` vs ``0`` at error ``0``.

    Returns:
        A Python float (``0.0`` for empty arrays).
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.size == 0 and b.size == 0:
        return 0.0
    ratio = np.abs(a - b) / np.maximum(eps, np.abs(a) + np.abs(b))
    return float(np.max(ratio))


def gradient_descent(grad_fn, w0, lr, steps):
    w = np.asarray(w0, dtype=float)
    history = [w]
    for _ in range(steps):
        w -= lr * grad_fn(w)
        history.append(w)
    return np.array(history)


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
    x = np.asarray(x, dtype=np.float64)
    return np.asarray(f_prime(g(x)) * g_prime(x), dtype=np.float64)


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
    total = None
    count = 0
    for X, y in batches:
        n = len(X)
        weighted = n * np.asarray(grad_fn(w, X, y), dtype=np.float64)
        total = weighted if total is None else total + weighted
        count += n
    return total / count
