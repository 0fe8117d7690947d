def clip_grad_norm(grads, max_norm):
    clipped, total = {}, 0.0
    for key, g in grads.items():
        norm = np.sqrt(np.sum(g**2))
        if not np.isfinite(norm):
            raise ValueError("gradient norm is not finite")
        total += norm**2
        clipped[key] = g * (max_norm / (norm + 1e-6)) if norm > max_norm else g.copy()
    return clipped, float(np.sqrt(total))
