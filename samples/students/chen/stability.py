def clip_grad_norm(grads, max_norm):
    total_norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    if not np.isfinite(total_norm):
        raise ValueError("gradient norm is not finite")
    factor = max_norm / (total_norm + 1e-6)
    return {k: g * factor for k, g in grads.items()}, total_norm
