def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(np.shape(x))
    for i in np.ndindex(np.shape(x)):
        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
