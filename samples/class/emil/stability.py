"""Chapter 4: vanishing and exploding gradients, and the fixes.

Careful initialization (Xavier, He) keeps activations and gradients at a steady scale through
depth; gradient clipping tames a run whose gradients explode; batch normalization and residual
connections keep deep networks trainable.
"""

import numpy as np


def xavier_init(fan_in, fan_out, rng):
    """Xavier/Glorot normal initialization.

    Draws ``W ~ N(0, 2 / (fan_in + fan_out))`` with one call
    ``rng.normal(0.0, std, size=(fan_in, fan_out))``, ``std = sqrt(2 / (fan_in + fan_out))``.

    Args:
        fan_in: number of inputs of the layer, an int.
        fan_out: number of outputs of the layer, an int.
        rng: a ``np.random.Generator``.

    Returns:
        ``(fan_in, fan_out)`` float64 array.
    """
    std = np.sqrt(2.0 / (fan_in + fan_out))
    return rng.normal(0.0, std, size=(fan_in, fan_out))


def he_init(fan_in, fan_out, rng):
    """He/Kaiming normal initialization, suited to ReLU layers.

    Draws ``W ~ N(0, 2 / fan_in)`` with one call
    ``rng.normal(0.0, std, size=(fan_in, fan_out))``, ``std = sqrt(2 / fan_in)``.

    Args:
        fan_in: number of inputs of the layer, an int.
        fan_out: number of outputs of the layer, an int.
        rng: a ``np.random.Generator``.

    Returns:
        ``(fan_in, fan_out)`` float64 array.
    """
    std = np.sqrt(2.0 / fan_in)
    return rng.normal(0.0, std, size=(fan_in, fan_out))


def clip_grad_norm(grads, max_norm):
    """Clip a set of gradients by their global L2 norm.

    ``total_norm = sqrt(Σ over all arrays and entries of g²)`` (one norm for all arrays).
    With ``factor = max_norm / (total_norm + 1e-6)``: if ``factor < 1`` every array is
    multiplied by ``factor``, otherwise the arrays are returned unchanged (as copies).

    Args:
        grads: dict name -> float64 array (any shapes).
        max_norm: the largest allowed global norm, a positive float.

    Returns:
        ``(clipped, total_norm)``: a new dict with the keys and shapes of ``grads``, and
        the global norm before clipping as a Python float.

    Raises:
        ValueError: if ``total_norm`` is not finite (an entry is inf or nan).
    """
    # Hint: one norm over all arrays, not one per array; zero gradients must not divide by 0.
    arrays = {key: np.asarray(g, dtype=np.float64) for key, g in grads.items()}
    # Divide by the largest magnitude before squaring so that huge but finite entries
    # (say 1e200) do not overflow to an infinite norm.
    peaks = [np.max(np.abs(a)) for a in arrays.values() if a.size]
    scale = float(np.max(peaks)) if peaks else 0.0  # np.max, unlike max(), propagates nan
    if not np.isfinite(scale):
        raise ValueError(
            f"gradient norm is not finite (got {scale}): the gradients contain inf or nan"
        )
    if scale == 0.0:
        total_norm = 0.0
    else:
        with np.errstate(under="ignore"):
            squares = sum(float(np.sum((a / scale) ** 2)) for a in arrays.values())
        total_norm = scale * float(np.sqrt(squares))
    factor = max_norm / (total_norm + 1e-6)
    if factor < 1.0:
        clipped = {key: a * factor for key, a in arrays.items()}
    else:
        clipped = {key: a.copy() for key, a in arrays.items()}
    return clipped, total_norm


def clip_grad_value(grads, clip_value):
    """Clamp every entry of every gradient to ``[−clip_value, clip_value]``.

    Args:
        grads: dict name -> float64 array (any shapes).
        clip_value: a positive float.

    Returns:
        A new dict with the keys and shapes of ``grads``.
    """
    return {
        key: np.clip(np.asarray(g, dtype=np.float64), -clip_value, clip_value)
        for key, g in grads.items()
    }


def train_clipped(X, y, params, loss_fn, lr, steps, max_norm):
    """Full-batch gradient descent with global-norm gradient clipping.

    Each of the ``steps`` steps does ``loss, grads = loss_fn(X, y, params)``, then
    ``grads, _ = clip_grad_norm(grads, max_norm)`` and ``p ← p − lr·g`` for every key.

    Args:
        X: ``(N, ...)`` inputs.
        y: ``(N, ...)`` targets.
        params: dict name -> float64 array (not modified).
        loss_fn: callable ``(X, y, params) -> (loss, grads)``, ``grads`` a dict with the
            keys of ``params``.
        lr: learning rate, a float.
        steps: number of updates, an int.
        max_norm: clipping threshold of :func:`clip_grad_norm`, a float.

    Returns:
        ``(params, history)``: the final parameters (a new dict) and a ``(steps,)`` float64
        array, ``history[s]`` the loss computed at step ``s`` before its update.
    """
    # Hint: this is train_unclipped below with one extra line.
    params = dict(params)
    history = np.zeros(steps, dtype=np.float64)
    for step in range(steps):
        loss, grads = loss_fn(X, y, params)
        history[step] = float(loss)
        grads, _ = clip_grad_norm(grads, max_norm)
        params = {key: params[key] - lr * grads[key] for key in params}
    return params, history


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    """Batch normalization in training mode, over the batch axis 0.

    ``μ = mean_n x[n]``; ``σ² = mean_n (x[n] − μ)²`` (biased variance);
    ``x̂ = (x − μ) / sqrt(σ² + eps)``; ``out = gamma·x̂ + beta``.

    Args:
        x: ``(N, D)`` float64 inputs.
        gamma: ``(D,)`` scale.
        beta: ``(D,)`` shift.
        eps: a small positive float added to the variance.

    Returns:
        ``(out, cache)``: ``out`` a ``(N, D)`` float64 array; ``cache`` what
        :func:`batchnorm_backward` needs (here ``(x̂, gamma, 1/sqrt(σ² + eps))``).
    """
    x = np.asarray(x, dtype=np.float64)
    mu = np.mean(x, axis=0)
    centered = x - mu
    var = np.mean(centered * centered, axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    x_hat = centered * inv_std
    out = gamma * x_hat + beta
    return out, (x_hat, gamma, inv_std)


def batchnorm_backward(dout, cache):
    """Backward pass of :func:`batchnorm_forward` (training mode).

    ``dbeta = Σ_n dout``; ``dgamma = Σ_n dout·x̂``; with ``g = dout·gamma`` and
    ``s = sqrt(σ² + eps)``, ``dx = (N·g − Σ_n g − x̂·Σ_n g·x̂) / (N·s)`` (sums over axis 0),
    which accounts for ``μ`` and ``σ²`` depending on every example of the batch.

    Args:
        dout: ``(N, D)`` upstream gradient.
        cache: the cache returned by :func:`batchnorm_forward`.

    Returns:
        ``(dx, dgamma, dbeta)`` with shapes ``(N, D)``, ``(D,)``, ``(D,)``, float64.
    """
    x_hat, gamma, inv_std = cache
    n = dout.shape[0]
    dbeta = np.sum(dout, axis=0)
    dgamma = np.sum(dout * x_hat, axis=0)
    dx_hat = dout * gamma
    dx = (inv_std / n) * (
        n * dx_hat - np.sum(dx_hat, axis=0) - x_hat * np.sum(dx_hat * x_hat, axis=0)
    )
    return dx, dgamma, dbeta


def residual_forward(x, W1, b1, W2, b2):
    """Residual block ``out = x + relu(x @ W1 + b1) @ W2 + b2``.

    Args:
        x: ``(N, D)`` float64 inputs.
        W1: ``(D, H)``; b1: ``(H,)``; W2: ``(H, D)``; b2: ``(D,)``.

    Returns:
        ``(out, cache)``: ``out`` a ``(N, D)`` float64 array; ``cache`` what
        :func:`residual_backward` needs.
    """
    z = x @ W1 + b1
    a = np.maximum(z, 0.0)
    out = x + a @ W2 + b2
    return out, (x, W1, z, a, W2)


def residual_backward(dout, cache):
    x, W1, z, a, W2 = cache
    dz = (dout @ W2.T) * (z > 0)
    return dz @ W1.T, x.T @ dz, dz.sum(axis=0), a.T @ dout, dout.sum(axis=0)


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
