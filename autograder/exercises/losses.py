"""Chapter 2 — loss functions and their gradients.

Each loss returns ``(loss, gradient)``; the gradient is held against central
differences of the reference loss, and the losses that must be stable are
run at |logit| = 1000.
"""

from __future__ import annotations

import numpy as np

from autograder.checks.behaviour import Unmodified
from autograder.checks.gradients import Gradient
from autograder.checks.values import Stable, compared
from autograder.i18n import N_
from autograder.spec import Exercise, Part, Text, mistake

ORDER = 3

PRED = np.array([[0.5, -1.2, 2.0], [1.5, 0.3, -0.7]])
TARGET = np.array([[1.0, -1.0, 1.5], [0.0, 0.8, -0.2]])
LOGITS = np.array([[2.0, -1.0, 0.5, 0.1], [0.3, 0.2, -2.2, 1.7], [-0.4, 1.1, 0.9, -1.5]])
LABELS = np.array([0, 3, 1])
HUGE_LOGITS = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 999.0, 1000.0]])
# rows of very different scales in one batch: one max for the whole batch fails here
FAR_APART = np.array([[1000.0, 998.0, 999.5], [-1000.0, -1001.0, -999.0], [0.5, -0.5, 0.0]])
BCE_Z = np.array([[1.2, -0.7], [0.1, -2.3], [3.0, 0.4]])
BCE_T = np.array([[1.0, 0.0], [0.5, 1.0], [1.0, 0.2]])
HUGE_Z = np.array([[1000.0, -1000.0], [1000.0, -1000.0]])


def _shape(rng):
    return int(rng.integers(2, 9)), int(rng.integers(2, 7))


def mse_cases(rng):
    """Three batches ``(N, D)`` and one vector: the loss takes any shape."""
    shapes = [_shape(rng) for _i in range(3)] + [_shape(rng)[:1]]
    return [{"pred": p, "target": p + rng.normal(0, 1, p.shape)}
            for p in (rng.normal(0, 2, shape) for shape in shapes)]


def softmax_cases(rng):
    """A vector, two batches and a 3-D array: the softmax runs over the last axis."""
    n, c = _shape(rng)
    shapes = [(c,), (n, c), _shape(rng), (int(rng.integers(2, 4)), n, c)]
    return [{"z": rng.normal(0, 3, shape)} for shape in shapes]


def rank(name: str):
    """The kind of a case: the number of axes of its input ``name`` (``"a 3-D z"``)."""
    return lambda inputs: Text(N_("a {ndim}-D {name}"), ndim=np.ndim(inputs[name]), name=name)


def ce_cases(rng):
    cases = []
    for _i in range(4):
        n, c = _shape(rng)
        cases.append({"logits": rng.normal(0, 3, (n, c)), "labels": rng.integers(0, c, n)})
    return cases


def bce_cases(rng):
    return [{"logits": rng.normal(0, 3, s), "targets": rng.uniform(0, 1, s)}
            for s in (_shape(rng) for _i in range(4))]


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
    loss = ref.softmax_cross_entropy(logits, labels)[0]
    return loss, ref.softmax(logits) / len(logits)


def _bce_batch_mean(ref, logits, targets):
    d = logits.shape[-1] if logits.ndim > 1 else 1
    loss, grad = ref.bce_with_logits(logits, targets)
    return loss * d, grad * d


BATCH_ONLY = mistake("batch-mean-only", N_(
    "You averaged over the batch only (divided by N): this loss is the mean over every element, so "
    "divide by the total number of elements."))
def _half_mse(ref, pred, target):
    loss, grad = ref.mse_loss(pred, target)
    return loss / 2, grad / 2


MISTAKES = {
    "mse_loss": {
        BATCH_ONLY: _mse_batch_mean,
        mistake("half-convention", N_(
            "This is the ½ convention, ½·mean((pred − target)²): this course's MSE has no ½, so "
            "loss = mean((pred − target)²) and dpred = 2(pred − target)/size.")): _half_mse},
    "softmax": {
        mistake("wrong-axis", N_(
            "The softmax was taken over the wrong axis: each row (the last axis, axis=-1) must "
            "sum to 1, not each column.")): _softmax_axis0},
    "softmax_cross_entropy": {
        mistake("missing-onehot", N_(
            "dlogits is softmax(logits)/N without the one-hot subtracted: the gradient is "
            "(softmax − onehot(labels)) / N.")): _no_onehot},
    "bce_with_logits": {BATCH_ONLY: _bce_batch_mean},
}


PUBLIC_MSE = [{"pred": PRED, "target": TARGET},
              {"pred": np.array([2.0, -1.0, 0.5]), "target": np.array([1.5, 0.0, 0.5])}]
PUBLIC_SOFTMAX = [{"z": LOGITS}, {"z": np.array([[1.0, 2.0], [3.0, -1.0]])},
                  {"z": np.array([0.5, -1.5, 2.0])},
                  {"z": np.stack([LOGITS[:2], -LOGITS[1:]])}]
PUBLIC_CE = [{"logits": LOGITS, "labels": LABELS}]
PUBLIC_BCE = [{"logits": BCE_Z, "targets": BCE_T}]

EXERCISE = Exercise(
    id="losses",
    title=N_("Loss functions and their gradients"),
    parts=[
        Part("mse_loss", [
            *compared(MISTAKES, "mse_loss", PUBLIC_MSE, mse_cases, kinds=rank("pred")),
            Gradient(1, PUBLIC_MSE, forward=mse_value, of=N_("the MSE loss"), wrt={1: "pred"},
                     kinds=rank("pred")),
            Gradient(1, mse_cases, forward=mse_value, of=N_("the MSE loss"), wrt={1: "pred"},
                     kinds=rank("pred")),
            Unmodified(1, PUBLIC_MSE)], returns=("loss", "dpred")),
        Part("softmax", [
            *compared(MISTAKES, "softmax", PUBLIC_SOFTMAX, softmax_cases, kinds=rank("z")),
            Stable(1, [{"z": HUGE_LOGITS}, {"z": FAR_APART}]),
            Unmodified(1, PUBLIC_SOFTMAX[:2])]),
        Part("softmax_cross_entropy", [
            *compared(MISTAKES, "softmax_cross_entropy", PUBLIC_CE, ce_cases),
            Gradient(1, PUBLIC_CE, forward=ce_value, of=N_("the cross-entropy loss"),
                     wrt={1: "logits"}),
            Gradient(1, ce_cases, forward=ce_value, of=N_("the cross-entropy loss"),
                     wrt={1: "logits"}),
            Stable(1, [{"logits": HUGE_LOGITS, "labels": np.array([1, 0])},
                       {"logits": FAR_APART, "labels": np.array([1, 2, 0])}]),
            Unmodified(1, PUBLIC_CE)], returns=("loss", "dlogits")),
        Part("bce_with_logits", [
            *compared(MISTAKES, "bce_with_logits", PUBLIC_BCE, bce_cases),
            Gradient(1, PUBLIC_BCE, forward=bce_value, of=N_("the binary cross-entropy loss"),
                     wrt={1: "logits"}),
            Gradient(1, bce_cases, forward=bce_value, of=N_("the binary cross-entropy loss"),
                     wrt={1: "logits"}),
            Stable(1, [{"logits": HUGE_Z, "targets": np.array([[1.0, 0.0], [0.0, 1.0]])}])],
             returns=("loss", "dlogits")),
    ],
)
