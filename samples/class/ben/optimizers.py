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
    new_params, m, v = {}, {}, {}
    for k in params:
        m[k] = beta1 * state["m"][k] + (1 - beta1) * grads[k]
        v[k] = beta2 * state["v"][k] + (1 - beta2) * grads[k] ** 2
        new_params[k] = params[k] - lr * m[k] / (np.sqrt(v[k]) + eps)
    return new_params, {"t": state["t"] + 1, "m": m, "v": v}


def train_sgd(X, y, params, loss_fn, lr, epochs, batch_size, seed):
    """Mini-batch SGD over shuffled data.

    ``rng = np.random.default_rng(seed)`` is made once. Each epoch draws
    ``perm = rng.permutation(N)`` and walks it in consecutive slices of ``batch_size``
    indices (the last slice may be shorter); for each slice ``idx`` it computes
    ``loss, grads = loss_fn(X[idx], y[idx], params)`` and applies ``p ← p − lr·g``.

    Args:
        X: ``(N, ...)`` inputs.
        y: ``(N, ...)`` targets.
        params: dict name -> float64 array (not modified).
        loss_fn: callable ``(X_batch, y_batch, params) -> (loss, grads)``, ``loss`` the
            batch's mean loss and ``grads`` a dict with the keys of ``params``.
        lr: learning rate, a float.
        epochs: number of passes over the data, an int.
        batch_size: examples per batch, an int ``≥ 1``.
        seed: seed of the shuffling generator.

    Returns:
        ``(params, history)``: the trained parameters (a new dict) and an ``(epochs,)``
        float64 array, each entry the epoch's batch losses averaged with weights equal to
        the batch sizes.
    """
    rng = np.random.default_rng(seed)
    n = len(X)
    params = dict(params)
    history = np.zeros(epochs, dtype=np.float64)
    for epoch in range(epochs):
        perm = rng.permutation(n)
        weighted_sum = 0.0
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]
            loss, grads = loss_fn(X[idx], y[idx], params)
            params = {key: params[key] - lr * grads[key] for key in params}
            weighted_sum += float(loss) * len(idx)
        history[epoch] = weighted_sum / n
    return params, history
