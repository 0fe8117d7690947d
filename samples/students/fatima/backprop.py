def mlp_loss(x, y, params, activation="relu"):
    scores, cache = mlp_forward(x, params, activation)
    shifted = scores - scores.max(axis=1, keepdims=True)
    p = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    n = len(y)
    loss = -np.mean(np.log(p[np.arange(n), y]))
    dscores = p.copy()
    dscores[np.arange(n), y] -= 1
    return loss, mlp_backward(dscores, cache)
