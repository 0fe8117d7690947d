def gradient_descent(grad_fn, w0, lr, steps):
    w = np.array(w0, dtype=float)
    history = []
    for _ in range(steps):
        w = w - lr * grad_fn(w)
        history.append(w)
    return np.array(history)
