def clip_grad_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
    factor = max_norm / (total_norm + 1e-6)
    if factor < 1:
        return {k: g * factor for k, g in grads.items()}, total_norm
    return {k: g.copy() for k, g in grads.items()}, total_norm
