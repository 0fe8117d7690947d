import numpy as np


def mse_loss(pred, target)
    diff = pred - target
    return np.mean(diff**2), 2 * diff / diff.size
