"""Chapter 4: vanishing and exploding gradients, and the fixes.

Careful initialization (Xavier, He) keeps activations and gradients at a steady scale through
depth; gradient clipping tames a run whose gradients explode; batch normalization and residual
connections keep deep networks trainable.
"""

import numpy as np
import numpy as np


def xavier_init(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * (2 / (fan_in + fan_out)) ** 0.5


def he_init(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2 / fan_in)


def clip_grad_norm(grads, max_norm):
    flat = np.concatenate([np.ravel(g) for g in grads.values()])
    total_norm = float(np.linalg.norm(flat))
    if not np.isfinite(total_norm):
        raise ValueError("non-finite gradient norm")
    factor = min(1.0, max_norm / (total_norm + 1e-6))
    return {k: g * factor for k, g in grads.items()}, total_norm


def clip_grad_value(grads, clip_value):
    return {k: np.minimum(np.maximum(g, -clip_value), clip_value) for k, g in grads.items()}


def train_clipped(X, y, params, loss_fn, lr, steps, max_norm):
    history = []
    for _ in range(steps):
        loss, grads = loss_fn(X, y, params)
        history.append(loss)
        grads = clip_grad_norm(grads, max_norm)[0]
        params = {k: w - lr * grads[k] for k, w in params.items()}
    return params, np.array(history)


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu, var = x.mean(axis=0), x.var(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta, {"x": x, "mu": mu, "var": var, "eps": eps, "gamma": gamma}


def batchnorm_backward(dout, cache):
    x, mu, var, eps, gamma = (cache[k] for k in ("x", "mu", "var", "eps", "gamma"))
    n = len(x)
    std = np.sqrt(var + eps)
    x_hat = (x - mu) / std
    dx_hat = dout * gamma
    dvar = np.sum(dx_hat * (x - mu), axis=0) * -0.5 * std**-3
    dmu = -np.sum(dx_hat, axis=0) / std + dvar * np.mean(-2 * (x - mu), axis=0)
    dx = dx_hat / std + dvar * 2 * (x - mu) / n + dmu / n
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)


def residual_forward(x, W1, b1, W2, b2):
    mask = (x @ W1 + b1) > 0
    hidden = np.where(mask, x @ W1 + b1, 0.0)
    return x + hidden @ W2 + b2, (x, W1, W2, hidden, mask)


def residual_backward(dout, cache):
    x, W1, W2, hidden, mask = cache
    dz = np.where(mask, dout @ W2.T, 0.0)
    return dout + dz @ W1.T, x.T @ dz, dz.sum(0), hidden.T @ dout, dout.sum(0)


# ---------------------------------------------------------------------------
# Support code (not graded): the unclipped loop and the chapter's exploding network.
# ---------------------------------------------------------------------------


# --8<-- [start:train_unclipped]
def train_unclipped(X, y, params, loss_fn, lr, steps):
    """Full-batch gradient descent without clipping: ``p ← p − lr·g`` for ``steps`` steps.

    The same loop as :func:`train_clipped` minus the clipping. Overflow is silenced, so a
    diverging run shows up as ``inf``/``nan`` losses in the history instead of warnings.

    Returns:
        ``(params, history)``: the final parameters (a new dict) and a ``(steps,)`` float64
        array, ``history[s]`` the loss computed at step ``s`` before its update.
    """
    params = dict(params)
    history = np.zeros(steps, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(steps):
            loss, grads = loss_fn(X, y, params)
            history[step] = float(loss)
            params = {key: params[key] - lr * grads[key] for key in params}
    return params, history
# --8<-- [end:train_unclipped]


def deep_linear_loss(X, y, params):
    """MSE loss of a deep linear network and its gradients.

    The network is ``h_0 = X``, ``h_l = h_{l−1} @ W_l`` for ``l = 1..L`` (no biases, no
    activations); ``loss = mean((h_L − y)²)`` over all elements.

    Args:
        X: ``(N, D)`` inputs.
        y: ``(N, K)`` targets.
        params: dict ``"W1"``, …, ``"WL"`` with ``W_l`` of shape ``(D_{l−1}, D_l)``.

    Returns:
        ``(loss, grads)``: ``loss`` a Python float, ``grads`` a dict with the keys and
        shapes of ``params``.
    """
    n_layers = len(params)
    hidden = [np.asarray(X, dtype=np.float64)]
    for k in range(1, n_layers + 1):
        hidden.append(hidden[-1] @ params[f"W{k}"])
    diff = hidden[-1] - y
    loss = float(np.mean(diff * diff))
    upstream = 2.0 * diff / diff.size
    grads = {}
    for k in range(n_layers, 0, -1):
        grads[f"W{k}"] = hidden[k - 1].T @ upstream
        upstream = upstream @ params[f"W{k}"].T
    return loss, {f"W{k}": grads[f"W{k}"] for k in range(1, n_layers + 1)}


# --8<-- [start:exploding_example]
def exploding_example():
    """The chapter's exploding-gradient run: an 8-layer linear network with large weights.

    Each of the 8 layers is ``8 × 8`` with weights drawn from ``N(0, 1.5² / 8)``, so every
    layer multiplies the signal's scale by about 1.5 and the gradient of the first layers by
    about ``1.5⁷``. Data: 64 Gaussian inputs and targets from a random linear map, all from
    ``np.random.default_rng(0)``. At ``lr = 0.03`` plain gradient descent overshoots and the
    loss overflows within a few steps (about 63 → 2.4e4 → 3e44 → inf), while clipping the
    global gradient norm to ``max_norm = 5`` brings it below 0.2 in 100 steps.

    Returns:
        ``(X, y, params, loss_fn, lr, steps, max_norm)`` ready for
        ``train_unclipped(X, y, params, loss_fn, lr, steps)`` and
        ``train_clipped(X, y, params, loss_fn, lr, steps, max_norm)``.
    """
    rng = np.random.default_rng(0)
    n, width, depth, gain = 64, 8, 8, 1.5
    X = rng.normal(size=(n, width))
    target_map = rng.normal(size=(width, width)) / np.sqrt(width)
    y = X @ target_map
    params = {
        f"W{k}": rng.normal(0.0, gain / np.sqrt(width), size=(width, width))
        for k in range(1, depth + 1)
    }
    return X, y, params, deep_linear_loss, 0.03, 100, 5.0
# --8<-- [end:exploding_example]
