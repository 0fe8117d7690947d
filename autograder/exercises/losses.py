"""Chapter 2 — loss functions and their gradients.

Each loss returns ``(loss, gradient)``; the gradient is held against central
differences of the reference loss, and the losses that must be stable are
run at |logit| = 1000.
"""

from __future__ import annotations

import numpy as np

from autograder.checks import Gradient, Stable, Unmodified, compared
from autograder.spec import Exercise, Part

ORDER = 3

PRED = np.array([[0.5, -1.2, 2.0], [1.5, 0.3, -0.7]])
TARGET = np.array([[1.0, -1.0, 1.5], [0.0, 0.8, -0.2]])
LOGITS = np.array([[2.0, -1.0, 0.5, 0.1], [0.3, 0.2, -2.2, 1.7], [-0.4, 1.1, 0.9, -1.5]])
LABELS = np.array([0, 3, 1])
HUGE_LOGITS = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 999.0, 1000.0]])
BCE_Z = np.array([[1.2, -0.7], [0.1, -2.3], [3.0, 0.4]])
BCE_T = np.array([[1.0, 0.0], [0.5, 1.0], [1.0, 0.2]])
HUGE_Z = np.array([[1000.0, -1000.0], [1000.0, -1000.0]])


def _shape(rng):
    return int(rng.integers(2, 9)), int(rng.integers(2, 7))


def mse_cases(rng):
    return [{"pred": p, "target": p + rng.normal(0, 1, p.shape)}
            for p in (rng.normal(0, 2, _shape(rng)) for _ in range(4))]


def softmax_cases(rng):
    return [{"z": rng.normal(0, 3, _shape(rng))} for _ in range(4)]


def ce_cases(rng):
    cases = []
    for _ in range(4):
        n, c = _shape(rng)
        cases.append({"logits": rng.normal(0, 3, (n, c)), "labels": rng.integers(0, c, n)})
    return cases


def bce_cases(rng):
    return [{"logits": rng.normal(0, 3, s), "targets": rng.uniform(0, 1, s)}
            for s in (_shape(rng) for _ in range(4))]


def mse_value(ref, pred, target):
    return ref.mse_loss(pred, target)[0]


def ce_value(ref, logits, labels):
    return ref.softmax_cross_entropy(logits, labels)[0]


def bce_value(ref, logits, targets):
    return ref.bce_with_logits(logits, targets)[0]


def _mse_batch_mean(ref, pred, target):
    d = pred.shape[-1] if pred.ndim > 1 else 1
    loss, grad = ref.mse_loss(pred, target)
    return loss * d, grad * d


def _softmax_axis0(ref, z):
    return ref.softmax(z.T).T


def _no_onehot(ref, logits, labels):
    loss, _ = ref.softmax_cross_entropy(logits, labels)
    return loss, ref.softmax(logits) / len(logits)


def _bce_batch_mean(ref, logits, targets):
    d = logits.shape[-1] if logits.ndim > 1 else 1
    loss, grad = ref.bce_with_logits(logits, targets)
    return loss * d, grad * d


BATCH_ONLY = ("You averaged over the batch only (divided by N): this loss is the mean over "
              "every element, so divide by the total number of elements.")
def _half_mse(ref, pred, target):
    loss, grad = ref.mse_loss(pred, target)
    return loss / 2, grad / 2


MISTAKES = {
    "mse_loss": {BATCH_ONLY: _mse_batch_mean,
                 "This is the ½ convention, ½·mean((pred − target)²): this course's MSE has no "
                 "½, so loss = mean((pred − target)²) and dpred = 2(pred − target)/size.":
                 _half_mse},
    "softmax": {"The softmax was taken over the wrong axis: each row (the last axis, "
                "axis=-1) must sum to 1, not each column.": _softmax_axis0},
    "softmax_cross_entropy": {
        "dlogits is softmax(logits)/N without the one-hot subtracted: the gradient is "
        "(softmax − onehot(labels)) / N.": _no_onehot},
    "bce_with_logits": {BATCH_ONLY: _bce_batch_mean},
}


PUBLIC_MSE = [{"pred": PRED, "target": TARGET},
              {"pred": np.array([2.0, -1.0, 0.5]), "target": np.array([1.5, 0.0, 0.5])}]
PUBLIC_SOFTMAX = [{"z": LOGITS}, {"z": np.array([[1.0, 2.0], [3.0, -1.0]])}]
PUBLIC_CE = [{"logits": LOGITS, "labels": LABELS}]
PUBLIC_BCE = [{"logits": BCE_Z, "targets": BCE_T}]

EXERCISE = Exercise(
    id="losses",
    title="Loss functions and their gradients",
    chapter="chapter-2",
    parts=[
        Part("mse_loss", [
            *compared(MISTAKES, "mse_loss", PUBLIC_MSE, mse_cases, names=("loss", "dpred")),
            Gradient(1, PUBLIC_MSE, forward=mse_value, of="the MSE loss", wrt={1: "pred"}),
            Gradient(1, mse_cases, forward=mse_value, of="the MSE loss", wrt={1: "pred"}),
            Unmodified(1, PUBLIC_MSE)]),
        Part("softmax", [
            *compared(MISTAKES, "softmax", PUBLIC_SOFTMAX, softmax_cases),
            Stable(1, [{"z": HUGE_LOGITS}]),
            Unmodified(1, PUBLIC_SOFTMAX)]),
        Part("softmax_cross_entropy", [
            *compared(MISTAKES, "softmax_cross_entropy", PUBLIC_CE, ce_cases,
                      names=("loss", "dlogits")),
            Gradient(1, PUBLIC_CE, forward=ce_value, of="the cross-entropy loss",
                     wrt={1: "logits"}),
            Gradient(1, ce_cases, forward=ce_value, of="the cross-entropy loss",
                     wrt={1: "logits"}),
            Stable(1, [{"logits": HUGE_LOGITS, "labels": np.array([1, 0])}]),
            Unmodified(1, PUBLIC_CE)]),
        Part("bce_with_logits", [
            *compared(MISTAKES, "bce_with_logits", PUBLIC_BCE, bce_cases,
                      names=("loss", "dlogits")),
            Gradient(1, PUBLIC_BCE, forward=bce_value, of="the binary cross-entropy loss",
                     wrt={1: "logits"}),
            Gradient(1, bce_cases, forward=bce_value, of="the binary cross-entropy loss",
                     wrt={1: "logits"}),
            Stable(1, [{"logits": HUGE_Z, "targets": np.array([[1.0, 0.0], [0.0, 1.0]])}])]),
    ],
)
