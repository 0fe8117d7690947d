def mse_loss(pred, target):
    diff = pred - target
    return 0.5 * np.mean(diff**2), diff / diff.size
