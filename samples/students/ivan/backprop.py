def mlp_backward(dscores, cache):
    activation, layers = cache["activation"], cache["layers"]
    grads, dz = {}, dscores
    for k in range(len(layers), 0, -1):
        h_prev, W, _ = layers[k - 1]
        grads[f"dW{k}"] = h_prev.T @ dz
        grads[f"db{k}"] = dz.sum(axis=0)
        if k > 1:
            h = layers[k - 2][2]
            slope = {"relu": h > 0, "sigmoid": h * (1 - h), "tanh": 1 - h**2}[activation]
            dz = (dz @ W.T) * slope
    return grads
