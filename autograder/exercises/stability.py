"""Chapter 4 — vanishing and exploding gradients, and the fixes.

Initializers get a generator made in the student's process from a seed, and
must both have the right statistics and draw from that generator.  Gradient
clipping is checked below, at and above its limit; the clipped training loop
must tame the chapter's exploding network, with the grader's own loss function
(whatever the student's file holds besides the graded functions).  Batch norm
and the residual block are checked like the MLP of chapter 3: outputs against
the reference, backward passes on the student's own forward cache, against the
reference and central differences (their inputs are in
:mod:`autograder.exercises._stability_inputs`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.checks.behaviour import Raises, Unmodified
from autograder.checks.draws import initializer
from autograder.checks.gradients import Gradient
from autograder.checks.training import Tamed
from autograder.checks.values import Matches, compared
from autograder.checks.wrappers import OwnCache, Rewired
from autograder.exercises._stability_inputs import (
    PUBLIC_BN,
    PUBLIC_BN_BACKWARD,
    PUBLIC_RESIDUAL,
    PUBLIC_RESIDUAL_BACKWARD,
    bn_backward_cases,
    bn_cases,
    residual_backward_cases,
    residual_cases,
)
from autograder.exercises.backprop import normal
from autograder.i18n import N_
from autograder.sandbox.child import callables
from autograder.spec import Check, Exercise, Part, Text, as_text, mistake

ORDER = 6


# --------------------------------------------------------------------------- initializers


def xavier_std(fan_in, fan_out):
    return np.sqrt(2.0 / (fan_in + fan_out))


def he_std(fan_in, fan_out):
    return np.sqrt(2.0 / fan_in)


XAVIER_STDS = {  # messages marked with N_ (shown translated), as in every MISTAKES
    mistake("he-std-for-xavier", N_(
        "This is He's std, sqrt(2/fan_in): Xavier's uses both fans, sqrt(2/(fan_in + "
        "fan_out)).")): he_std,
    mistake("variance-as-std", N_(
        "This is the variance 2/(fan_in + fan_out) used as the std: rng.normal takes the standard "
        "deviation, its square root.")): lambda fan_in, fan_out: 2.0 / (fan_in + fan_out),
    mistake("numerator-one", N_("This is sqrt(1/(fan_in + fan_out)): the numerator is 2.")):
        lambda fan_in, fan_out: np.sqrt(1.0 / (fan_in + fan_out)),
}
HE_STDS = {
    mistake("fan-out-for-he", N_(
        "This is sqrt(2/fan_out): He's std uses fan_in, the number of inputs of the layer.")):
        lambda fan_in, fan_out: np.sqrt(2.0 / fan_out),
    mistake("xavier-std-for-he", N_(
        "This is Xavier's std, sqrt(2/(fan_in + fan_out)): He's is sqrt(2/fan_in).")): xavier_std,
    mistake("variance-as-std", N_(
        "This is the variance 2/fan_in used as the std: rng.normal takes the standard deviation, "
        "its square root.")): lambda fan_in, fan_out: 2.0 / fan_in,
    mistake("lecun-std", N_(
        "This is sqrt(1/fan_in), LeCun's std: He's doubles the variance for the half of the inputs "
        "that ReLU zeroes, sqrt(2/fan_in).")): lambda fan_in, fan_out: np.sqrt(1.0 / fan_in),
}


# --------------------------------------------------------------------------- clipping

def norm_of(ref, grads: dict) -> float:
    """The global norm of ``grads``, as the reference's clip_grad_norm measures it."""
    return ref.clip_grad_norm(grads, np.inf)[1]


def _per_array(ref, grads, max_norm):
    return {k: ref.clip_grad_norm({k: g}, max_norm)[0][k] for k, g in grads.items()}


def _always(ref, grads, max_norm):
    factor = max_norm / (norm_of(ref, grads) + 1e-6)
    return {k: g * factor for k, g in grads.items()}


OWN_NORMS = mistake("per-array-norm", N_(
    "Each array was clipped by its own norm: clip_grad_norm uses one global norm of all arrays "
    "together, sqrt(Σ over every array of Σ g²), and scales every array by the same factor."))
CLIPPING_MISTAKES = {  # message: (ref, grads, max_norm) -> the clipped gradients it gives
    OWN_NORMS: _per_array,
    mistake("clipped-below-limit", N_(
        "The gradients were scaled although their norm is not above max_norm: scale only when "
        "max_norm / (total_norm + 1e-6) < 1, else return copies unchanged.")): _always,
}


def clip_mistake(clip: Callable) -> Callable:
    """What ``clip_grad_norm`` returns with the clipping rule ``clip``."""
    return lambda ref, grads, max_norm: (clip(ref, grads, max_norm), norm_of(ref, grads))


def _norm_after(ref, grads, max_norm):
    clipped = ref.clip_grad_norm(grads, max_norm)[0]
    return clipped, norm_of(ref, clipped)


NORM_AFTER = mistake("norm-after-clipping", N_(
    "total_norm must be the norm before clipping; yours is the norm after it."))
NORM_MISTAKES = {  # message: the total_norm a mistake returns
    NORM_AFTER: lambda ref, grads, max_norm: _norm_after(ref, grads, max_norm)[1],
    mistake("squared-norm", N_("This is the sum of squares: the norm is its square root.")):
        lambda ref, grads, max_norm: norm_of(ref, grads) ** 2,
    mistake("max-of-norms", N_(
        "This is the largest of the arrays' own norms: the global norm is sqrt(Σ over every array "
        "of Σ g²).")):
        lambda ref, grads, max_norm: max(norm_of(ref, {k: g}) for k, g in grads.items()),
}


SEVERAL = {"grads": {"W1": np.array([[1.0, -2.0], [0.0, 2.0]]), "b1": np.array([0.6, -0.8]),
                     "W2": np.array([[0.3], [-0.4]])}, "max_norm": 2.0}
BELOW = [{"grads": {"W": np.array([[0.3, -0.4], [0.1, 0.2]]), "b": np.array([0.1, -0.2])},
          "max_norm": 5.0},
         {"grads": {"w": np.array([3.0, -4.0])}, "max_norm": 5.0}]  # exactly at the limit
ABOVE = [{"grads": {"w": np.array([[3.0, -4.0], [12.0, 0.0]])}, "max_norm": 1.0}, SEVERAL]
ZEROS = [{"grads": {"W": np.zeros((2, 3)), "b": np.zeros(3)}, "max_norm": 1.0}]
NOT_FINITE = [{"grads": {"W": np.array([[1.0, np.inf]]), "b": np.array([0.5])}, "max_norm": 1.0},
              {"grads": {"W": np.array([[1.0, 2.0]]), "b": np.array([np.nan])}, "max_norm": 1.0}]
VALUES = [{"grads": {"W": np.array([[0.5, -2.0, 3.0], [-0.1, 1.2, -7.0]]),
                     "b": np.array([4.0, -0.3])}, "clip_value": 1.0}]


def rounded(value: float) -> float:
    """``value`` to three significant digits, as a person would type it."""
    return float(f"{value:.3g}")


def grads_cases(rng, limit: str):
    """Dicts of one to three arrays (1-d or 2-d, up to 4 per side, entries of scale 0.1, 1 or
    10), with ``limit`` from a fifth to twice their typical global norm."""
    cases = []
    for _i in range(4):
        scale, count = float(rng.choice([0.1, 1.0, 10.0])), int(rng.integers(1, 4))
        grads = {f"g{i}": scale * normal(rng, *rng.integers(1, 5, size=int(rng.integers(1, 3))))
                 for i in range(count)}
        typical = scale * np.sqrt(sum(g.size for g in grads.values()))  # E|g|² = scale² each
        cases.append({"grads": grads, limit: rounded(float(rng.uniform(0.2, 2.0)) * typical)})
    return cases


def below_or_above(inputs) -> str:
    """The kind of a clipping case: a global norm at or below ``max_norm``, or above it."""
    norm = np.sqrt(sum(float(np.sum(g * g)) for g in inputs["grads"].values()))
    return N_("a norm above max_norm") if norm > inputs["max_norm"] else \
        N_("a norm at or below max_norm")


def norm_cases(rng):
    return grads_cases(rng, "max_norm")


def value_cases(rng):
    return grads_cases(rng, "clip_value")


# --------------------------------------------------------------------------- training

LOSS = callables.ref("deep_linear_loss")
"""The loss function ``train_clipped`` gets: the grader's own, never the student's."""


def with_loss(check: Check) -> Rewired:
    """``check`` with ``loss_fn`` — the grader's ``deep_linear_loss``
    (:func:`autograder.sandbox.child.callables.deep_linear_loss`) — passed after ``params``."""
    return Rewired(check, sent=lambda args: [*args[:3], LOSS, *args[3:]],
                   used=lambda ref, args: [*args[:3], LOSS, *args[3:]],
                   title=check.titled(N_("{title}, with loss_fn = deep_linear_loss")))


def deep_linear_case(rng, n: int, width: int, depth: int, gain: float) -> dict:
    """A deep linear network as ``exploding_example`` builds it, with the same draws in the
    same order: ``X``, ``y`` ``(n, width)`` and ``depth`` weights ``(width, width)``."""
    X = rng.normal(size=(n, width))
    y = X @ (rng.normal(size=(width, width)) / np.sqrt(width))
    params = {f"W{k}": rng.normal(0.0, gain / np.sqrt(width), size=(width, width))
              for k in range(1, depth + 1)}
    return {"X": X, "y": y, "params": params}


EXPLODING = [{**deep_linear_case(np.random.default_rng(0), 64, 8, 8, 1.5),
              "lr": 0.03, "steps": 100, "max_norm": 5.0}]


def training_cases(rng):
    return [{**deep_linear_case(rng, int(rng.integers(8, 33)), int(rng.integers(3, 7)),
                                int(rng.integers(3, 7)), float(rng.uniform(1.3, 1.8))),
             "lr": rounded(rng.uniform(0.01, 0.04)), "steps": int(rng.integers(10, 31)),
             "max_norm": rounded(rng.uniform(1.0, 5.0))} for _i in range(3)]


def clipped_loss(ref, clip: Callable, max_norm: float) -> Callable:
    """``deep_linear_loss`` whose gradients come out clipped by ``clip(ref, grads, max_norm)``."""
    def loss_fn(X, y, params):
        loss, grads = LOSS(X, y, params)
        return loss, clip(ref, grads, max_norm)
    return loss_fn


def train_mistake(clip: Callable) -> Callable:
    """What ``train_clipped`` returns when it clips with ``clip(ref, grads, max_norm)``: the
    shipped unclipped loop run on gradients clipped that way."""
    def wrong(ref, X, y, params, lr, steps, max_norm):
        return ref.train_unclipped(X, y, params, clipped_loss(ref, clip, max_norm), lr, steps)
    return wrong


def _loss_after_update(ref, X, y, params, lr, steps, max_norm):
    def run(steps):
        return ref.train_clipped(X, y, params, LOSS, lr, steps, max_norm)
    return run(steps)[0], run(steps + 1)[1][1:]


TRAIN_MISTAKES = {
    mistake("unclipped-gradients", N_(
        "The gradients were not clipped: clip_grad_norm returns the clipped gradients (a new "
        "dict); update the parameters with those.")): train_mistake(lambda ref, grads, m: grads),
    **{Text(N_("{mistake} (train_clipped uses clip_grad_norm.)"), mistake=as_text(message)):
       train_mistake(clip) for message, clip in CLIPPING_MISTAKES.items()},
    mistake("value-clipping-for-norm", N_(
        "These are the losses of clip_grad_value(grads, max_norm): clip the global norm with "
        "clip_grad_norm instead.")): train_mistake(lambda ref, g, m: ref.clip_grad_value(g, m)),
    mistake("loss-after-update", N_(
        "history[s] must be the loss computed at step s before its update: yours is the loss after "
        "it.")): _loss_after_update,
}


# --------------------------------------------------------------------------- batch norm

def _unbiased(ref, x, gamma, beta, eps=1e-5):
    # (x − μ)/sqrt(σ²·N/(N−1) + eps) = c·(x − μ)/sqrt(σ² + c²·eps) with c² = (N − 1)/N
    c2 = (len(x) - 1) / len(x)
    return ref.batchnorm_forward(x, gamma * np.sqrt(c2), beta, eps * c2)[0]


def _eps_outside(ref, x, gamma, beta, eps=1e-5):
    # (x − μ)/(σ + eps) is the reference's x̂ with eps' = (σ + eps)² − σ² per feature
    eps_inside = (np.std(x, axis=0) + eps) ** 2 - np.var(x, axis=0)
    return ref.batchnorm_forward(x, gamma, beta, eps_inside)[0]


def _over_features(ref, x, gamma, beta, eps=1e-5):
    return ref.batchnorm_forward(x.T, 1.0, 0.0, eps)[0].T * gamma + beta


def with_terms_dropped(ref, dout, x, gamma, beta, eps, mean_term: bool, var_term: bool):
    """Batch norm's backward pass with dx missing its term through μ or σ² (or both): the
    reference's dx plus what those terms subtract."""
    cache = ref.batchnorm_forward(x, gamma, beta, eps)[1]
    dx, dgamma, dbeta = ref.batchnorm_backward(dout, cache)
    x_hat = ref.batchnorm_forward(x, 1.0, 0.0, eps)[0]
    g, inv_std = dout * gamma, 1.0 / np.sqrt(np.var(x, axis=0) + eps)
    dropped = (np.mean(g, axis=0) if mean_term else 0.0) + \
        (x_hat * np.mean(g * x_hat, axis=0) if var_term else 0.0)
    return dx + inv_std * dropped, dgamma, dbeta


def _constant_statistics(ref, dout, x, gamma, beta, eps=1e-5):
    return with_terms_dropped(ref, dout, x, gamma, beta, eps, mean_term=True, var_term=True)


def _no_variance_term(ref, dout, x, gamma, beta, eps=1e-5):
    return with_terms_dropped(ref, dout, x, gamma, beta, eps, mean_term=False, var_term=True)


def _no_mean_term(ref, dout, x, gamma, beta, eps=1e-5):
    return with_terms_dropped(ref, dout, x, gamma, beta, eps, mean_term=True, var_term=False)


def bn_objective(ref, dout, x, gamma, beta, eps=1e-5):
    return float(np.sum(dout * ref.batchnorm_forward(x, gamma, beta, eps)[0]))


# --------------------------------------------------------------------------- residual block

def residual_gradients(ref, dout, *block):
    """The reference's gradients of the residual block ``(x, W1, b1, W2, b2)``."""
    return ref.residual_backward(dout, ref.residual_forward(*block)[1])


def _no_identity(ref, dout, x, W1, b1, W2, b2):
    dx, *rest = residual_gradients(ref, dout, x, W1, b1, W2, b2)
    return dx - dout, *rest


def _no_relu_slope(ref, dout, x, W1, b1, W2, b2):
    # Shifting b1 by more than |z| makes every ReLU pass its input: the branch's gradients
    # are then those without the ReLU's derivative; dW2 and db2 come from the true block.
    shift = 1.0 + np.max(np.abs(x @ W1 + b1))
    dx, dW1, db1, *_rest = residual_gradients(ref, dout, x, W1, b1 + shift, W2, b2)
    return dx, dW1, db1, *residual_gradients(ref, dout, x, W1, b1, W2, b2)[3:]


def residual_objective(ref, dout, x, W1, b1, W2, b2):
    return float(np.sum(dout * ref.residual_forward(x, W1, b1, W2, b2)[0]))


# --------------------------------------------------------------------------- declaration

MISTAKES = {
    "clip_grad_norm": {
        **{message: clip_mistake(clip) for message, clip in CLIPPING_MISTAKES.items()},
        NORM_AFTER: _norm_after},
    "clip_grad_value": {
        mistake("upper-bound-only", N_(
            "Only the upper bound was applied: clamp to [−clip_value, clip_value], e.g. with "
            "np.clip(g, -clip_value, clip_value).")):
            lambda ref, grads, clip_value: {k: np.minimum(g, clip_value)
                                            for k, g in grads.items()},
        mistake("scaled-not-clamped", N_(
            "Each array was scaled so that its largest entry is clip_value: clip_grad_value clamps "
            "every entry on its own, np.clip.")):
            lambda ref, grads, clip_value: {
                k: g * min(1.0, clip_value / max(np.max(np.abs(g)), 1e-12))
                for k, g in grads.items()}},
    "train_clipped": TRAIN_MISTAKES,
    "batchnorm_forward": {
        mistake("unbiased-variance", N_(
            "This uses the unbiased variance (dividing by N − 1, ddof=1): batch norm uses the "
            "biased variance, the mean of (x − μ)² over the batch.")): _unbiased,
        mistake("eps-outside-sqrt", N_(
            "eps was added to the standard deviation: x̂ = (x − μ) / sqrt(σ² + eps), eps inside "
            "the square root.")): _eps_outside,
        mistake("wrong-axis", N_(
            "The statistics were taken over each example's features (axis 1): batch norm "
            "normalizes each feature over the batch, axis 0.")): _over_features},
    "batchnorm_backward": {
        mistake("constant-batch-statistics", N_(
            "dx treats the batch mean and variance as constants: both depend on every example, so "
            "dx = (1/sqrt(σ² + eps)) · (g − mean(g) − x̂ · mean(g · x̂)) with g = dout · gamma "
            "(means over the batch).")): _constant_statistics,
        mistake("missing-variance-term", N_(
            "dx misses the term through the variance: subtract x̂ · mean(g · x̂) too "
            "(g = dout · gamma, means over the batch).")): _no_variance_term,
        mistake("missing-mean-term", N_(
            "dx misses the term through the mean: subtract mean(g) too (g = dout · gamma, mean "
            "over the batch).")): _no_mean_term},
    "residual_forward": {
        mistake("missing-skip", N_(
            "The skip connection is missing: out = x + relu(x @ W1 + b1) @ W2 + b2.")):
            lambda ref, x, W1, b1, W2, b2: np.maximum(x @ W1 + b1, 0.0) @ W2 + b2},
    "residual_backward": {
        mistake("missing-identity-gradient", N_(
            "dx misses the identity path: the skip connection passes dout straight through to x, "
            "so dx = dout + (the branch's gradient).")): _no_identity,
        mistake("missing-relu-derivative", N_(
            "The ReLU's derivative is missing: multiply dout @ W2ᵀ by [z > 0] before going further "
            "back.")): _no_relu_slope},
}


def output_of(check: Check) -> Rewired:
    return Rewired(check, item=0)


BN_GRADIENT = dict(forward=bn_objective, of="sum(dout · out)",
                   wrt={0: "x", 1: "gamma", 2: "beta"})
RESIDUAL_GRADIENT = dict(forward=residual_objective, of="sum(dout · out)",
                         wrt={0: "x", 1: "W1", 2: "b1", 3: "W2", 4: "b2"})

EXERCISE = Exercise(
    id="stability",
    title=N_("Vanishing and exploding gradients, and the fixes"),
    parts=[
        Part("xavier_init", initializer(xavier_std, "sqrt(2/(fan_in + fan_out))", XAVIER_STDS)),
        Part("he_init", initializer(he_std, "sqrt(2/fan_in)", HE_STDS)),
        Part("clip_grad_norm", [
            Matches(1, BELOW, mistakes=MISTAKES["clip_grad_norm"],
                    title=N_("returns copies unchanged at or below max_norm")),
            Matches(1, ABOVE, mistakes=MISTAKES["clip_grad_norm"],
                    title=N_("scales every array by one global factor above max_norm")),
            Matches(1, ZEROS, title=N_("handles all-zero gradients (norm 0)")),
            Rewired(Matches(1, ABOVE, mistakes=NORM_MISTAKES), item=1,
                    title=N_("returns the global norm before clipping")),
            Matches(1, norm_cases, mistakes=MISTAKES["clip_grad_norm"], kinds=below_or_above),
            Unmodified(1, ABOVE),
            Raises(1, NOT_FINITE, title=N_("raises ValueError when the norm is not finite"))],
             returns=("clipped", "total_norm")),
        Part("clip_grad_value", [*compared(MISTAKES, "clip_grad_value", VALUES, value_cases),
                                 Unmodified(1, VALUES)]),
        Part("train_clipped", [
            with_loss(Tamed(1, EXPLODING)),
            *(with_loss(c) for c in compared(MISTAKES, "train_clipped", EXPLODING,
                                             training_cases)),
            with_loss(Unmodified(1, EXPLODING))], returns=("params", "history")),
        Part("batchnorm_forward", [
            *(output_of(c) for c in compared(MISTAKES, "batchnorm_forward", PUBLIC_BN,
                                             bn_cases)),
            output_of(Unmodified(1, PUBLIC_BN))], returns=("out", "cache")),
        Part("batchnorm_backward", [
            *(OwnCache(c, "batchnorm_forward") for c in compared(
                MISTAKES, "batchnorm_backward", PUBLIC_BN_BACKWARD, bn_backward_cases)),
            OwnCache(Gradient(1, PUBLIC_BN_BACKWARD, **BN_GRADIENT), "batchnorm_forward"),
            OwnCache(Gradient(1, bn_backward_cases, **BN_GRADIENT), "batchnorm_forward")],
             returns=("dx", "dgamma", "dbeta")),
        Part("residual_forward", [
            *(output_of(c) for c in compared(MISTAKES, "residual_forward", PUBLIC_RESIDUAL,
                                             residual_cases)),
            output_of(Unmodified(1, PUBLIC_RESIDUAL))], returns=("out", "cache")),
        Part("residual_backward", [
            *(OwnCache(c, "residual_forward") for c in compared(
                MISTAKES, "residual_backward", PUBLIC_RESIDUAL_BACKWARD,
                residual_backward_cases)),
            OwnCache(Gradient(1, PUBLIC_RESIDUAL_BACKWARD, **RESIDUAL_GRADIENT),
                     "residual_forward"),
            OwnCache(Gradient(1, residual_backward_cases, **RESIDUAL_GRADIENT),
                     "residual_forward")], returns=("dx", "dW1", "db1", "dW2", "db2")),
    ],
)
