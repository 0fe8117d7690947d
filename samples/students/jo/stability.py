def clip_grad_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g * g) for g in grads.values())))
    if not np.isfinite(total_norm):
        raise ValueError("gradient norm is not finite")
    factor = max_norm / (total_norm + 1e-6)
    if factor < 1:
        for g in grads.values():
            g *= factor
    return grads, total_norm
