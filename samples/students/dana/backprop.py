def mlp_backward(dscores, cache):
    layers = cache["layers"]
    grads = {}
    dz = dscores
    for k in range(len(layers), 0, -1):
        h_prev, W, _ = layers[k - 1]
        grads[f"W{k}"] = h_prev.T @ dz
        grads[f"b{k}"] = dz.sum(axis=0)
        dz = dz @ W.T
    return grads
