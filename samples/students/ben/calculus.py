def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    fx = f(x)
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = h
        grad.flat[i] = (f(x + step.reshape(x.shape)) - fx) / h
    return grad
