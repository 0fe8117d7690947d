"""Ada folds Adam's bias corrections into the step size and splits batches with np.array_split."""

import numpy as np


def sgd_step(params, grads, lr):
    return dict(zip(params, (p - lr * grads[k] for k, p in params.items())))


def momentum_step(params, grads, velocity, lr, beta=0.9):
    new_velocity = {k: beta * velocity[k] + g for k, g in grads.items()}
    return {k: params[k] - lr * new_velocity[k] for k in params}, new_velocity


def adam_step(params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state["t"] + 1
    m = {k: beta1 * state["m"][k] + (1 - beta1) * g for k, g in grads.items()}
    v = {k: beta2 * state["v"][k] + (1 - beta2) * np.square(g) for k, g in grads.items()}
    # lr·m̂/(√v̂ + eps) rewritten with the corrections in the step size (Kingma & Ba, §2)
    c1, c2 = 1 - beta1**t, np.sqrt(1 - beta2**t)
    step = lr * c2 / c1
    new = {k: params[k] - step * m[k] / (np.sqrt(v[k]) + eps * c2) for k in params}
    return new, {"t": t, "m": m, "v": v}


def train_sgd(X, y, params, loss_fn, lr, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    history = []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        batches = np.array_split(order, range(batch_size, len(X), batch_size))
        losses = []
        for idx in batches:
            loss, grads = loss_fn(X[idx], y[idx], params)
            params = sgd_step(params, grads, lr)
            losses.append(loss)
        history.append(np.average(losses, weights=[len(idx) for idx in batches]))
    return params, np.array(history)
