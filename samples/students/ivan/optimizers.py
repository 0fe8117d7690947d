def train_sgd(X, y, params, loss_fn, lr, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    n_batches = len(X) // batch_size
    history = np.zeros(epochs)
    for epoch in range(epochs):
        perm = rng.permutation(len(X))
        for b in range(n_batches):
            idx = perm[b * batch_size:(b + 1) * batch_size]
            loss, grads = loss_fn(X[idx], y[idx], params)
            params = {k: params[k] - lr * grads[k] for k in params}
            history[epoch] += loss / n_batches
    return params, history
