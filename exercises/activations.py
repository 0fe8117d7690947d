"""Chapter 2: activation functions and their derivatives.

Each nonlinearity comes with its elementwise derivative, the factor it contributes to the
chain rule in the backward pass; sigmoid is written to stay finite for inputs up to |x| = 1000.
"""

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
    raise NotImplementedError("sigmoid: your code here")


def sigmoid_grad(x):
    """Derivative of the sigmoid, ``σ'(x) = σ(x)·(1 − σ(x))``, elementwise.

    Finite, warning-free and accurate for ``|x| ≤ 1000``.

    Args:
        x: array of any shape ``S`` (or a float).

    Returns:
        ``(S)`` float64 array with values in ``[0, 1/4]``.
    """
    # Hint: σ'(x) is even in x, and equals e/(1 + e)² with e = exp(−|x|): no overflow.
    raise NotImplementedError("sigmoid_grad: your code here")


def tanh_grad(x):
    """Derivative of tanh, ``1 − tanh(x)²``, elementwise.

    Args:
        x: array of any shape ``S`` (or a float).

    Returns:
        ``(S)`` float64 array with values in ``[0, 1]``.
    """
    raise NotImplementedError("tanh_grad: your code here")


def relu(x):
    """Rectified linear unit ``max(x, 0)``, elementwise.

    Args:
        x: array of any shape ``S`` (or a float).

    Returns:
        ``(S)`` float64 array.
    """
    raise NotImplementedError("relu: your code here")


def relu_grad(x):
    """Derivative of ReLU: ``1`` where ``x > 0``, ``0`` where ``x < 0``.

    At exactly ``x = 0`` either one-sided value is accepted (this reference gives ``0``).

    Args:
        x: array of any shape ``S`` (or a float).

    Returns:
        ``(S)`` float64 array of zeros and ones.
    """
    raise NotImplementedError("relu_grad: your code here")


def leaky_relu(x, alpha=0.01):
    """Leaky ReLU: ``x`` where ``x > 0``, ``alpha·x`` elsewhere, elementwise.

    Args:
        x: array of any shape ``S`` (or a float).
        alpha: slope for negative inputs, a float.

    Returns:
        ``(S)`` float64 array.
    """
    raise NotImplementedError("leaky_relu: your code here")


def leaky_relu_grad(x, alpha=0.01):
    """Derivative of leaky ReLU: ``1`` where ``x > 0``, ``alpha`` where ``x < 0``.

    At exactly ``x = 0`` either one-sided value is accepted (this reference gives ``alpha``).

    Args:
        x: array of any shape ``S`` (or a float).
        alpha: slope for negative inputs, a float.

    Returns:
        ``(S)`` float64 array.
    """
    raise NotImplementedError("leaky_relu_grad: your code here")


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
    raise NotImplementedError("prelu: your code here")


def prelu_backward(dout, x, alpha):
    """Backward pass of :func:`prelu`.

    ``dx = dout`` where ``x > 0`` and ``alpha·dout`` elsewhere;
    ``dalpha = Σ dout·x`` over the elements with ``x ≤ 0`` — over all elements for a scalar
    ``alpha``, and over every axis except the last for a ``(D,)`` ``alpha``.

    Args:
        dout: upstream gradient, shaped like ``x``.
        x: the input of the forward pass, shape ``(..., D)``.
        alpha: a Python float, a 0-d array, or a ``(D,)`` array.

    Returns:
        ``(dx, dalpha)``: ``dx`` a float64 array shaped like ``x``; ``dalpha`` shaped like
        ``alpha`` — a Python float for a float ``alpha``, a 0-d array for a 0-d array,
        a ``(D,)`` float64 array for a ``(D,)`` ``alpha``.
    """
    raise NotImplementedError("prelu_backward: your code here")
