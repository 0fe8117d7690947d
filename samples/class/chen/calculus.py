"""Chapter 1: derivatives, gradient descent and the chain rule.

Numerical derivatives by central differences are the yardstick for every analytic gradient
in the course; gradient descent and gradient accumulation are the first things built on them.
"""

import numpy as np


def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(np.shape(x))
    for i in np.ndindex(np.shape(x)):
        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (2 * h)
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
    w = np.array(w0, dtype=np.float64)
    history = [w.copy()]
    for _ in range(steps):
        w = w - lr * np.asarray(grad_fn(w), dtype=np.float64)
        history.append(w.copy())
    return np.stack(history)


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
