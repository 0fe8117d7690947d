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
    if activation not in _ACTIVATIONS:
        raise ValueError(
            f"unknown activation {activation!r}; expected one of {', '.join(_ACTIVATIONS)}"
        )
    n_layers = sum(1 for key in params if key[:1] == "W" and key[1:].isdigit())
    if n_layers == 0:
        raise ValueError("params holds no weight matrix W1")
    h = np.asarray(x, dtype=np.float64)
    layers = []
    for k in range(1, n_layers + 1):
        W, b = params[f"W{k}"], params[f"b{k}"]
        z = h @ W + b
        if k < n_layers:
            if activation == "relu":
                out = np.maximum(z, 0.0)
            elif activation == "sigmoid":
                out = 0.5 * (1.0 + np.tanh(0.5 * z))  # σ(z) written without any exp
            else:
                out = np.tanh(z)
        else:
            out = z
        layers.append((h, W, out))
        h = out
    return h, {"activation": activation, "layers": layers}


def mlp_backward(dscores, cache):
    layers = cache["layers"]
    grads = {}
    dz = dscores
    for k in range(len(layers), 0, -1):
        h_prev, W, _ = layers[k - 1]
        grads[f"W{k}"] = h_prev.T @ dz
        grads[f"b{k}"] = dz.sum(axis=0)
        dz = dz @ W.T
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
