"""Chapter 2: activation functions and their derivatives.

Each nonlinearity comes with its elementwise derivative, the factor it contributes to the
chain rule in the backward pass; sigmoid is written to stay finite for inputs up to |x| = 1000.
"""

import numpy as np
import numpy as np


def sigmoid(x):
    """Logistic function ``σ(x) = 1 / (1 + exp(−x))``, elementwise.

    Finite, warning-free and accurate for ``|x| ≤ 1000``.

    Args:
        x: array of any shape ``S`` (or a float).

    Returns:
        ``(S)`` float64 array with values in ``[0, 1]``.
    """
    # Hint: np.exp of a large positive number overflows. With e = exp(−|x|) ≤ 1,
    # σ(x) = 1/(1 + e) for x ≥ 0 and e/(1 + e) for x < 0; e may underflow to 0, which is fine.
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(under="ignore"):  # exp(-1000) rounding to 0 is the correct answer
        e = np.exp(-np.abs(x))
        return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(x):
    """Derivative of the sigmoid, ``σ'(x) = σ(x)·(1 − σ(x))``, elementwise.

    Finite, warning-free and accurate for ``|x| ≤ 1000``.

    Args:
        x: array of any shape ``S`` (or a float).

    Returns:
        ``(S)`` float64 array with values in ``[0, 1/4]``.
    """
    # Hint: σ'(x) is even in x, and equals e/(1 + e)² with e = exp(−|x|): no overflow.
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(x))
        return e / (1.0 + e) ** 2


def tanh_grad(x):
    t = (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
    return 1 - t**2


def relu(x):
    """Rectified linear unit ``max(x, 0)``, elementwise.

    Args:
        x: array of any shape ``S`` (or a float).

    Returns:
        ``(S)`` float64 array.
    """
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)


def relu_grad(x):
    """Derivative of ReLU: ``1`` where ``x > 0``, ``0`` where ``x < 0``.

    At exactly ``x = 0`` either one-sided value is accepted (this reference gives ``0``).

    Args:
        x: array of any shape ``S`` (or a float).

    Returns:
        ``(S)`` float64 array of zeros and ones.
    """
    return (np.asarray(x, dtype=np.float64) > 0).astype(np.float64)


def leaky_relu(x, alpha=0.01):
    """Leaky ReLU: ``x`` where ``x > 0``, ``alpha·x`` elsewhere, elementwise.

    Args:
        x: array of any shape ``S`` (or a float).
        alpha: slope for negative inputs, a float.

    Returns:
        ``(S)`` float64 array.
    """
    x = np.asarray(x, dtype=np.float64)
    return np.where(x > 0, x, alpha * x)


def leaky_relu_grad(x, alpha):
    return np.where(x > 0, 1.0, alpha)


def prelu(x, alpha):
    """Parametric ReLU: leaky ReLU whose negative slope ``alpha`` is learned.

    ``out = x`` where ``x > 0``, ``alpha·x`` elsewhere; a vector ``alpha`` is broadcast
    over the last axis of ``x`` (one slope per feature).

    Args:
        x: array of shape ``(..., D)``, e.g. ``(N, D)``.
        alpha: a Python float, a 0-d array, or a ``(D,)`` array.

    Returns:
        float64 array shaped like ``x``.
    """
    x = np.asarray(x, dtype=np.float64)
    a = np.asarray(alpha, dtype=np.float64)
    return np.where(x > 0, x, a * x)


def prelu_backward(dout, x, alpha):
    dx = dout * np.where(x > 0, 1.0, alpha)
    dalpha = float(np.sum(dout * np.minimum(x, 0.0)))
    return dx, dalpha
