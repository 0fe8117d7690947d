def mlp_forward(x, params, activation="relu"):
    n_layers = len(params) // 2
    h, layers = x, []
    for k in range(1, n_layers + 1):
        W, b = params[f"W{k}"], params[f"b{k}"]
        z = h @ W + b
        if k == n_layers:
            out = z
        elif activation == "relu":
            out = np.maximum(z, 0)
        elif activation == "sigmoid":
            out = 1 / (1 + np.exp(-z))
        else:
            out = np.tanh(z)
        layers.append((h, W, out))
        h = out
    return h, {"activation": activation, "layers": layers}
