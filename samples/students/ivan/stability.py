def train_clipped(X, y, params, loss_fn, lr, steps, max_norm):
    history = np.zeros(steps)
    for step in range(steps):
        loss, grads = loss_fn(X, y, params)
        history[step] = loss
        clip_grad_norm(grads, max_norm)
        params = {k: params[k] - lr * grads[k] for k in params}
    return params, history
