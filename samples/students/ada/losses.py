"""Ada's losses use logaddexp and logsumexp-style shifts."""

import numpy as np


def mse_loss(pred, target):
    diff = np.subtract(pred, target)
    return np.square(diff).mean(), diff * (2.0 / diff.size)


def softmax(z):
    shifted = z - np.max(z, axis=-1, keepdims=True)
    log_norm = np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
    return np.exp(shifted - log_norm)


def softmax_cross_entropy(logits, labels):
    n = logits.shape[0]
    log_z = np.logaddexp.reduce(logits, axis=1)
    log_p = logits - log_z[:, None]
    loss = -log_p[np.arange(n), labels].mean()
    grad = np.exp(log_p)
    grad[np.arange(n), labels] -= 1
    return loss, grad / n


def bce_with_logits(logits, targets):
    loss = np.mean(np.logaddexp(0.0, logits) - logits * targets)
    p = np.exp(-np.logaddexp(0.0, -logits))
    return loss, (p - targets) / logits.size
