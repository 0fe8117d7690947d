def numerical_gradient(f, x, h=1e-5):
    x = x.copy()
    grad = np.zeros_like(x)
    for i in range(len(x)):
        old = x[i]
        x[i] = old + h
        f_plus = f(x)
        x[i] = old - h
        f_minus = f(x)
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
