def mlp_forward(x, params, activation="relu"):
    if activation not in ("relu", "sigmoid", "tanh"):
        raise ValueError(f"unknown activation {activation}")
    act = {"relu": lambda z: np.maximum(z, 0), "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
           "tanh": np.tanh}[activation]
    h, layers = x, []
    for k in range(1, len(params) // 2 + 1):
        W = params[f"W{k}"]
        out = act(h @ W + params[f"b{k}"])
        layers.append((h, W, out))
        h = out
    return h, {"activation": activation, "layers": layers}
