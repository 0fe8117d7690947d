"""Chapter 2: loss functions and their gradients.

Each loss returns its value together with the gradient with respect to its first argument,
the seed of the backward pass; the softmax and logistic losses are computed in log space so
that they stay finite for logits up to |z| = 1000.
"""

import numpy as np
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
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


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
    """Binary cross-entropy on ``sigmoid(logits)``, mean over all elements, and its gradient.

    Per element ``ℓ = max(z, 0) − z·t + log(1 + exp(−|z|))`` (equal to
    ``−t·log σ(z) − (1 − t)·log(1 − σ(z))``); ``loss = mean(ℓ)``;
    ``dlogits = (σ(z) − t) / size``. Stable up to ``|z| = 1000``.

    Args:
        logits: float array of any shape ``S``, e.g. ``(N,)`` or ``(N, K)``.
        targets: array of the same shape ``S`` with values in ``[0, 1]``.

    Returns:
        ``(loss, dlogits)``: ``loss`` a Python float, ``dlogits`` a ``(S)`` float64 array.
    """
    # Hint: compute e = exp(−|z|) once; it gives both the log1p term and a stable sigmoid.
    z = np.asarray(logits, dtype=np.float64)
    t = np.asarray(targets, dtype=np.float64)
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(z))
        per_element = np.maximum(z, 0.0) - z * t + np.log1p(e)
        sig = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
        dlogits = (sig - t) / z.size
    loss = float(np.mean(per_element))
    return loss, dlogits
