def train_sgd(X, y, params, loss_fn, lr, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    history = []
    for epoch in range(epochs):
        perm = rng.permutation(len(X))
        losses = []
        for start in range(0, len(X), batch_size):
            idx = perm[start:start + batch_size]
            loss, grads = loss_fn(X[idx], y[idx], params)
            params = {k: params[k] - lr * grads[k] for k in params}
            losses.append(loss)
        history.append(np.mean(losses))
    return params, np.array(history)
