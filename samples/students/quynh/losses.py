"""Quynh subtracts one global max for the whole batch, in the softmax and in the cross-entropy."""

import numpy as np


def softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    n = len(labels)
    shifted = logits - logits.max()
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    dlogits = np.exp(log_probs)
    dlogits[np.arange(n), labels] -= 1
    return float(-log_probs[np.arange(n), labels].mean()), dlogits / n
