def residual_backward(dout, cache):
    x, W1, z, a, W2 = cache
    dz = (dout @ W2.T) * (z > 0)
    return dz @ W1.T, x.T @ dz, dz.sum(axis=0), a.T @ dout, dout.sum(axis=0)
