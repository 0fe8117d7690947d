def dense_backward(dout, cache):
    x, W, b = cache
    return dout @ W.T, x.T @ dout, dout
