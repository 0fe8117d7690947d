def batchnorm_backward(dout, cache):
    x_hat, gamma, inv_std = cache
    dx = dout * gamma * inv_std
    return dx, np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)
