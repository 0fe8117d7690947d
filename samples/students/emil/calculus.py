def gradient_descent(grad_fn, w0, lr, steps):
    w = np.asarray(w0, dtype=float)
    history = [w]
    for _ in range(steps):
        w -= lr * grad_fn(w)
        history.append(w)
    return np.array(history)
