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
        raise ValueError(f"unknown activation {activation}")
    act = {"relu": lambda z: np.maximum(z, 0), "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
           "tanh": np.tanh}[activation]
    h, layers = x, []
    for k in range(1, len(params) // 2 + 1):
        W = params[f"W{k}"]
        out = act(h @ W + params[f"b{k}"])
        layers.append((h, W, out))
        h = out
    return h, {"activation": activation, "layers": layers}


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
    activation = cache["activation"]
    layers = cache["layers"]
    grads = {}
    dz = np.asarray(dscores, dtype=np.float64)
    for k in range(len(layers), 0, -1):
        h_prev, W, _ = layers[k - 1]
        grads[f"W{k}"] = h_prev.T @ dz
        grads[f"b{k}"] = np.sum(dz, axis=0)
        if k == 1:
            break
        dh = dz @ W.T
        h = layers[k - 2][2]  # activation output of the previous layer: act(z_{k-1})
        if activation == "relu":
            dz = dh * (h > 0)
        elif activation == "sigmoid":
            dz = dh * h * (1.0 - h)
        else:
            dz = dh * (1.0 - h * h)
    return {key: grads[key] for k in range(1, len(layers) + 1) for key in (f"W{k}", f"b{k}")}


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
