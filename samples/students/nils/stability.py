# sample: whole file
"""Nils wrote his file from scratch: the graded functions, and no support code at all."""

import numpy as np


def xavier_init(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


def he_init(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


def clip_grad_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    if not np.isfinite(total_norm):
        raise ValueError(f"the gradient norm is {total_norm}")
    scale = max_norm / (total_norm + 1e-6)
    if scale < 1:
        return {k: g * scale for k, g in grads.items()}, total_norm
    return {k: g.copy() for k, g in grads.items()}, total_norm


def clip_grad_value(grads, clip_value):
    return {k: np.clip(g, -clip_value, clip_value) for k, g in grads.items()}


def train_clipped(X, y, params, loss_fn, lr, steps, max_norm):
    history = np.empty(steps)
    for step in range(steps):
        history[step], grads = loss_fn(X, y, params)
        grads, _ = clip_grad_norm(grads, max_norm)
        params = {k: p - lr * grads[k] for k, p in params.items()}
    return params, history


def batchnorm_forward(x, gamma, beta, eps=1e-5):
    mu = x.mean(axis=0)
    var = ((x - mu) ** 2).mean(axis=0)
    x_hat = (x - mu) / np.sqrt(var + eps)
    return gamma * x_hat + beta, (x_hat, gamma, var, eps)


def batchnorm_backward(dout, cache):
    x_hat, gamma, var, eps = cache
    n = dout.shape[0]
    dx_hat = dout * gamma
    dx = (n * dx_hat - dx_hat.sum(axis=0) - x_hat * (dx_hat * x_hat).sum(axis=0)) \
        / (n * np.sqrt(var + eps))
    return dx, (dout * x_hat).sum(axis=0), dout.sum(axis=0)


def residual_forward(x, W1, b1, W2, b2):
    z = x @ W1 + b1
    h = np.maximum(z, 0.0)
    return x + h @ W2 + b2, (x, z, h, W1, W2)


def residual_backward(dout, cache):
    x, z, h, W1, W2 = cache
    dh = dout @ W2.T
    dz = dh * (z > 0)
    return dout + dz @ W1.T, x.T @ dz, dz.sum(axis=0), h.T @ dout, dout.sum(axis=0)
