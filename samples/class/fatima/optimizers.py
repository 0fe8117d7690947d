"""Chapter 3: weight updates.

Optimizers turn gradients into parameter updates: plain SGD, SGD with momentum, Adam, and a
mini-batch training loop that shuffles the data every epoch. Parameters, gradients and
optimizer state are dicts of arrays keyed by parameter name; every update returns new dicts.
"""

import numpy as np


def sgd_step(params, grads, lr):
    """One stochastic gradient descent update ``p' = p − lr·g`` for every key.

    Args:
        params: dict name -> float64 array (any shapes).
        grads: dict with the same keys, each array shaped like its parameter.
        lr: learning rate, a float.

    Returns:
        A new dict with the same keys and shapes as ``params`` (inputs are not modified).
    """
    return {key: params[key] - lr * grads[key] for key in params}


def momentum_step(params, grads, velocity, lr, beta=0.9):
    """One update of SGD with (heavy-ball) momentum.

    ``v' = beta·v + g``; ``p' = p − lr·v'``, for every key.

    Args:
        params: dict name -> float64 array.
        grads: dict with the same keys and shapes.
        velocity: dict with the same keys and shapes (zeros at the start).
        lr: learning rate, a float.
        beta: momentum coefficient, a float in ``[0, 1)``.

    Returns:
        ``(new_params, new_velocity)``: two new dicts with the keys and shapes of
        ``params``.
    """
    new_velocity = {}
    new_params = {}
    for key in params:
        v = velocity.get(key, np.zeros_like(params[key], dtype=np.float64))
        new_velocity[key] = beta * v + grads[key]
        new_params[key] = params[key] - lr * new_velocity[key]
    return new_params, new_velocity


def adam_step(params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam update with bias correction.

    ``t' = t + 1``; ``m' = β1·m + (1 − β1)·g``; ``v' = β2·v + (1 − β2)·g²``;
    ``m̂ = m' / (1 − β1^t')``; ``v̂ = v' / (1 − β2^t')``;
    ``p' = p − lr·m̂ / (√v̂ + eps)``, for every key.

    Args:
        params: dict name -> float64 array.
        grads: dict with the same keys and shapes.
        state: ``{"t": int, "m": dict, "v": dict}``; at the start ``t = 0`` and ``m``,
            ``v`` hold zeros shaped like the parameters.
        lr, beta1, beta2, eps: floats.

    Returns:
        ``(new_params, new_state)``: a new parameter dict and a fresh state dict
        ``{"t": t + 1, "m": {...}, "v": {...}}`` (the given ``state`` is left unchanged).
    """
    t = int(state["t"]) + 1
    new_m, new_v, new_params = {}, {}, {}
    for key in params:
        g = grads[key]
        zeros = np.zeros_like(params[key], dtype=np.float64)
        new_m[key] = beta1 * state["m"].get(key, zeros) + (1.0 - beta1) * g
        new_v[key] = beta2 * state["v"].get(key, zeros) + (1.0 - beta2) * g * g
        m_hat = new_m[key] / (1.0 - beta1**t)
        v_hat = new_v[key] / (1.0 - beta2**t)
        new_params[key] = params[key] - lr * m_hat / (np.sqrt(v_hat) + eps)
    return new_params, {"t": t, "m": new_m, "v": new_v}


def train_sgd(X, y, params, loss_fn, lr, epochs, batch_size, seed):
    n = len(X)
    history = []
    for epoch in range(epochs):
        rng = np.random.default_rng(seed)
        perm = rng.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]
            loss, grads = loss_fn(X[idx], y[idx], params)
            params = {k: params[k] - lr * grads[k] for k in params}
            total += loss * len(idx)
        history.append(total / n)
    return params, np.array(history)
