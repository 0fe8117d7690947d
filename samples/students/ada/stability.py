"""Ada draws with standard_normal, norms with np.linalg.norm, and caches her own way."""

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
