"""Chapter 3: the forward and backward pass of a multilayer perceptron.

A dense layer caches its inputs on the way forward and turns the upstream gradient into
gradients for its input, weights and bias on the way back; an MLP chains these layers with
elementwise activations and ends in a softmax cross-entropy loss.
"""

import numpy as np
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
    out = x @ W + b
    return out, (x, W, b)


def dense_backward(dout, cache):
    """Backward pass of :func:`dense_forward`.

    ``dx = dout @ Wᵀ``, ``dW = xᵀ @ dout``, ``db = Σ_n dout[n]``.

    Args:
        dout: ``(N, M)`` upstream gradient of the loss w.r.t. ``out``.
        cache: ``(x, W, b)`` as returned by :func:`dense_forward`.

    Returns:
        ``(dx, dW, db)`` with shapes ``(N, D)``, ``(D, M)``, ``(M,)``, float64.
    """
    x, W, _ = cache
    dx = dout @ W.T
    dW = x.T @ dout
    db = np.sum(dout, axis=0)
    return dx, dW, db


def mlp_forward(x, params, activation="relu"):
    if activation not in ("relu", "sigmoid", "tanh"):
        raise ValueError(f"unknown activation {activation!r}")
    layers = len(params) // 2
    h, cache = x, []
    for k in range(1, layers + 1):
        z = h @ params[f"W{k}"] + params[f"b{k}"]
        cache.append((h, params[f"W{k}"], z))
        h = np.maximum(z, 0.0) if k < layers else z
    return h, cache


def mlp_backward(dscores, cache):
    grads, dz = {}, dscores
    for k in range(len(cache), 0, -1):
        h, W, _ = cache[k - 1]
        grads[f"W{k}"], grads[f"b{k}"] = h.T @ dz, dz.sum(axis=0)
        if k > 1:
            dz = (dz @ W.T) * (cache[k - 2][2] > 0)
    return grads


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
    scores, cache = mlp_forward(x, params, activation)
    y = np.asarray(y).astype(np.intp)
    n = scores.shape[0]
    rows = np.arange(n)
    shifted = scores - np.max(scores, axis=1, keepdims=True)
    with np.errstate(under="ignore"):
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        loss = float(-np.mean(log_probs[rows, y]))
        dscores = np.exp(log_probs)
        dscores[rows, y] -= 1.0
        dscores /= n
    return loss, mlp_backward(dscores, cache)
