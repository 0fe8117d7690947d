def _act(name, z):
    return {"relu": lambda: np.maximum(z, 0), "sigmoid": lambda: 1 / (1 + np.exp(-z)),
            "tanh": lambda: np.tanh(z)}[name]()


def mlp_forward(x, params, activation="relu"):
    if activation not in ("relu", "sigmoid", "tanh"):
        raise ValueError(activation)
    L = len(params) // 2
    hs = [x]
    for k in range(1, L + 1):
        z = hs[-1] @ params[f"W{k}"] + params[f"b{k}"]
        hs.append(_act(activation, z) if k < L else z)
    return hs[-1], {"act": activation, "hs": hs, "params": params}


def mlp_backward(dscores, cache):
    hs, params, act = cache["hs"], cache["params"], cache["act"]
    grads, dz = {}, dscores
    for k in range(len(hs) - 1, 0, -1):
        grads[f"W{k}"] = hs[k - 1].T @ dz
        grads[f"b{k}"] = dz.sum(axis=0)
        dh = dz @ params[f"W{k}"].T
        h = hs[k - 1]
        if act == "relu":
            dz = dh * (h > 0)
        else:  # the derivative formula applied to the cached output h
            s = _act(act, h)
            dz = dh * (s * (1 - s) if act == "sigmoid" else 1 - s**2)
    return grads
