def bce_with_logits(logits, targets):
    p = 1 / (1 + np.exp(-logits))
    loss = -np.mean(targets * np.log(p) + (1 - targets) * np.log(1 - p))
    return loss, (p - targets) / logits.size
