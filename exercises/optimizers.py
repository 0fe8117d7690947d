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
    raise NotImplementedError("sgd_step: your code here")


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
    raise NotImplementedError("momentum_step: your code here")


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
    raise NotImplementedError("adam_step: your code here")


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
    raise NotImplementedError("train_sgd: your code here")
