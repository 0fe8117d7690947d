"""Chapter 3: the forward and backward pass of a multilayer perceptron.

A dense layer caches its inputs on the way forward and turns the upstream gradient into
gradients for its input, weights and bias on the way back; an MLP chains these layers with
elementwise activations and ends in a softmax cross-entropy loss.
"""

import numpy as np

_ACTIVATIONS = ("relu", "sigmoid", "tanh")


def dense_forward(x, W, b):
    """Affine layer ``out = x @ W + b``.

    Args:
        x: ``(N, D)`` float64 inputs.
        W: ``(D, M)`` float64 weights.
        b: ``(M,)`` float64 bias.

    Returns:
        ``(out, cache)``: ``out`` a ``(N, M)`` float64 array, ``cache == (x, W, b)``.
    """
    raise NotImplementedError("dense_forward: your code here")


def dense_backward(dout, cache):
    """Backward pass of :func:`dense_forward`.

    ``dx = dout @ Wᵀ``, ``dW = xᵀ @ dout``, ``db = Σ_n dout[n]``.

    Args:
        dout: ``(N, M)`` upstream gradient of the loss w.r.t. ``out``.
        cache: ``(x, W, b)`` as returned by :func:`dense_forward`.

    Returns:
        ``(dx, dW, db)`` with shapes ``(N, D)``, ``(D, M)``, ``(M,)``, float64.
    """
    raise NotImplementedError("dense_backward: your code here")


def mlp_forward(x, params, activation="relu"):
    """Forward pass of an L-layer perceptron with a linear last layer.

    ``h_0 = x``; ``z_l = h_{l−1} @ W_l + b_l``; ``h_l = act(z_l)`` for ``l < L``;
    ``scores = z_L``. ``L`` is the number of ``W`` keys in ``params``.

    Args:
        x: ``(N, D)`` float64 inputs.
        params: dict with ``"W1"``, ``"b1"``, …, ``"WL"``, ``"bL"``; ``W_l`` has shape
            ``(D_{l−1}, D_l)`` and ``b_l`` shape ``(D_l,)``, with ``D_0 = D`` and
            ``D_L = C`` the number of classes.
        activation: ``"relu"``, ``"sigmoid"`` or ``"tanh"``; anything else raises
            ``ValueError``.

    Returns:
        ``(scores, cache)``: ``scores`` a ``(N, C)`` float64 array; ``cache`` whatever
        :func:`mlp_backward` needs (here a dict with the activation and, per layer, the
        layer's input, weights and output).
    """
    raise NotImplementedError("mlp_forward: your code here")


def mlp_backward(dscores, cache):
    """Backward pass of :func:`mlp_forward`.

    Walks the layers from last to first: ``dW_l = h_{l−1}ᵀ @ dz_l``,
    ``db_l = Σ_n dz_l[n]``, ``dh_{l−1} = dz_l @ W_lᵀ`` and
    ``dz_{l−1} = dh_{l−1} · act'(z_{l−1})``, starting from ``dz_L = dscores``.

    Args:
        dscores: ``(N, C)`` upstream gradient of the loss w.r.t. the scores.
        cache: the cache returned by :func:`mlp_forward`.

    Returns:
        dict of float64 gradients with exactly the keys and shapes of ``params``
        (``"W1"``, ``"b1"``, …, ``"WL"``, ``"bL"``).
    """
    raise NotImplementedError("mlp_backward: your code here")


def mlp_loss(x, y, params, activation="relu"):
    """Softmax cross-entropy loss of an MLP and the gradients of all its parameters.

    ``loss = −mean_i log softmax(scores)[i, y_i]`` with ``scores = mlp_forward(x, params)``;
    the gradient starts from ``dscores = (softmax(scores) − onehot(y)) / N``.

    Args:
        x: ``(N, D)`` float64 inputs.
        y: ``(N,)`` integer labels in ``[0, C)``.
        params: as for :func:`mlp_forward`.
        activation: ``"relu"``, ``"sigmoid"`` or ``"tanh"``.

    Returns:
        ``(loss, grads)``: ``loss`` a Python float, ``grads`` a dict with exactly the keys
        and shapes of ``params``.
    """
    # Hint: reuse mlp_forward and mlp_backward; compute log-softmax by log-sum-exp.
    raise NotImplementedError("mlp_loss: your code here")
