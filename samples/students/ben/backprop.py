def dense_backward(dout, cache):
    x, W, b = cache
    return dout @ W.T, dout.T @ x, dout.sum(axis=0)
