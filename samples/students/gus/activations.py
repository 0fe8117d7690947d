def prelu_backward(dout, x, alpha):
    dx = np.where(x > 0, 1.0, alpha * np.ones_like(x))
    dalpha = np.sum(dout * np.where(x > 0, 0.0, x), axis=tuple(range(x.ndim - np.ndim(alpha))))
    return dx, dalpha if np.ndim(alpha) else float(dalpha)
