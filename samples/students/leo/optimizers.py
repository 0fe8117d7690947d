def train_sgd(X, y, params, loss_fn, lr, epochs, batch_size, seed):
    np.random.seed(seed)
    n = len(X)
    history = []
    for epoch in range(epochs):
        perm = np.random.permutation(n)
        total = 0.0
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]
            loss, grads = loss_fn(X[idx], y[idx], params)
            params = {k: params[k] - lr * grads[k] for k in params}
            total += loss * len(idx)
        history.append(total / n)
    return params, np.array(history)
