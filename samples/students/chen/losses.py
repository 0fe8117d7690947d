def mse_loss(pred, target):
    diff = pred - target
    return np.sum(diff**2), 2 * diff
