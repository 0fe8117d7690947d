def clip_grad_value(grads, clip_value):
    return {k: np.minimum(g, clip_value) for k, g in grads.items()}
