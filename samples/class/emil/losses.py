"""Chapter 2: loss functions and their gradients.

Each loss returns its value together with the gradient with respect to its first argument,
the seed of the backward pass; the softmax and logistic losses are computed in log space so
that they stay finite for logits up to |z| = 1000.
"""

import numpy as np


def mse_loss(pred, target):
    """Mean squared error and its gradient.

    ``loss = mean((pred − target)²)`` over **all** elements (no ½ factor);
    ``dpred = 2·(pred − target) / pred.size``.

    Args:
        pred: float array of any shape ``S``, e.g. ``(N, D)``.
        target: array of the same shape ``S``.

    Returns:
        ``(loss, dpred)``: ``loss`` a Python float, ``dpred`` a ``(S)`` float64 array.
    """
    diff = np.asarray(pred, dtype=np.float64) - np.asarray(target, dtype=np.float64)
    loss = float(np.mean(diff * diff))
    dpred = 2.0 * diff / diff.size
    return loss, dpred


def softmax(z):
    """Softmax over the last axis: ``exp(z_j) / Σ_k exp(z_k)``.

    Stable (finite, warning-free) for entries up to ``|z| = 1000``.

    Args:
        z: array of shape ``(..., C)``, e.g. ``(N, C)`` logits.

    Returns:
        float64 array shaped like ``z``; every row (last axis) sums to 1.
    """
    # Hint: softmax(z) == softmax(z − c) for any constant c per row; pick c = the row max so
    # every exponent is ≤ 0 (exp of a very negative number underflows to 0, which is harmless).
    z = np.asarray(z, dtype=np.float64)
    shifted = z - np.max(z, axis=-1, keepdims=True)
    with np.errstate(under="ignore"):
        e = np.exp(shifted)
        return e / np.sum(e, axis=-1, keepdims=True)


def softmax_cross_entropy(logits, labels):
    """Softmax cross-entropy, mean over the batch, and its gradient.

    ``loss = −mean_i log softmax(logits)[i, labels[i]]``;
    ``dlogits = (softmax(logits) − onehot(labels)) / N``.
    Stable up to ``|logit| = 1000``.

    Args:
        logits: ``(N, C)`` float array of scores.
        labels: ``(N,)`` integer array of classes in ``[0, C)``.

    Returns:
        ``(loss, dlogits)``: ``loss`` a Python float, ``dlogits`` a ``(N, C)`` float64 array.
    """
    # Hint: log softmax(z)_j = (z_j − m) − log Σ_k exp(z_k − m) with m the row max
    # (log-sum-exp); never take the log of a softmax probability that may have underflowed to 0.
    logits = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels).astype(np.intp)
    n = logits.shape[0]
    rows = np.arange(n)
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    with np.errstate(under="ignore"):
        exp_shifted = np.exp(shifted)
        log_norm = np.log(np.sum(exp_shifted, axis=1, keepdims=True))
        log_probs = shifted - log_norm
        loss = float(-np.mean(log_probs[rows, labels]))
        dlogits = np.exp(log_probs)
        dlogits[rows, labels] -= 1.0
        dlogits /= n
    return loss, dlogits


def bce_with_logits(logits, targets):
    p = 1 / (1 + np.exp(-logits))
    loss = -np.mean(targets * np.log(p) + (1 - targets) * np.log(1 - p))
    return loss, (p - targets) / logits.size
