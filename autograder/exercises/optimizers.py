"""Chapter 3 — weight updates: SGD, momentum, Adam and a mini-batch training loop.

Momentum and Adam are also run for several consecutive steps, each call given
the params and state that the student's previous call returned (kept in the
sandbox, so they cross the boundary only as results): a state that is not
carried over correctly — a step counter never incremented, a velocity in
another convention — shows there.  ``train_sgd`` trains with a trusted loss
function (:func:`autograder.sandbox.child.callables.linear_regression`) on data whose size
is not a multiple of the batch size.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from autograder.checks.behaviour import Unmodified
from autograder.checks.steps import Steps
from autograder.checks.values import compared
from autograder.i18n import N_
from autograder.sandbox.child.callables import ref as fn
from autograder.spec import Check, Exercise, Part, mistake, number

ORDER = 5


# ---------------------------------------------------------------- inputs

def params_like(rng, shapes: dict[str, tuple[int, ...]], scale: float = 1.0) -> dict:
    """A dict of random arrays of the given shapes."""
    return {name: rng.normal(0.0, scale, shape) for name, shape in shapes.items()}


def layer_shapes(rng) -> dict[str, tuple[int, ...]]:
    d, k = (int(n) for n in rng.integers(1, 5, 2))
    return {"W": (d, k), "b": (k,)}


def sgd_cases(rng):
    cases = []
    for _i in range(3):
        shapes = layer_shapes(rng)
        cases.append({"params": params_like(rng, shapes), "grads": params_like(rng, shapes),
                      "lr": number(rng, 0.01, 0.5)})
    return cases


def zeros_like(params: dict) -> dict:
    return {name: np.zeros_like(value) for name, value in params.items()}


def update_cases(rng, state: str, start, hyper, steps: int = 0) -> list:
    """Three cases of an update with optimizer state: one step (the first from scratch,
    the others in mid-run), or ``steps`` from scratch.

    ``grads`` is one dict, or a list of ``steps`` dicts for :class:`Steps`;
    ``start(rng, params, scratch)`` gives the state, from scratch or in mid-run,
    and ``hyper(rng)`` the hyperparameters.
    """
    cases = []
    for i in range(3):
        shapes = layer_shapes(rng)
        params = params_like(rng, shapes)
        grads = [params_like(rng, shapes) for _i in range(max(steps, 1))]
        cases.append({"params": params, "grads": grads if steps else grads[0],
                      state: start(rng, params, bool(steps) or i == 0), **hyper(rng)})
    return cases


def first_or_later(inputs) -> str:
    """The kind of a single step: the first one, from a state of zeros, or a later one."""
    state = inputs.get("state", {"t": 0, "m": inputs.get("velocity")})
    scratch = state["t"] == 0 and not any(np.any(v) for v in state["m"].values())
    return N_("the first step (a state of zeros)") if scratch else N_("a step in mid-run")


def _velocity(rng, params, scratch):
    """Zeros for a run from scratch, else a random velocity."""
    if scratch:
        return zeros_like(params)
    return {k: rng.normal(size=p.shape) for k, p in params.items()}


def _adam_state(rng, params, scratch):
    """``t = 0`` and zeros for a run from scratch, else a state in mid-run."""
    if scratch:
        return {"t": 0, "m": zeros_like(params), "v": zeros_like(params)}
    return {"t": int(rng.integers(1, 20)),
            "m": {k: rng.normal(0.0, 0.5, p.shape) for k, p in params.items()},
            "v": {k: rng.normal(0.0, 0.5, p.shape) ** 2 for k, p in params.items()}}


momentum_cases = partial(update_cases, state="velocity", start=_velocity, hyper=lambda rng: {
    "lr": number(rng, 0.01, 0.3), "beta": number(rng, 0.5, 0.99)})
adam_cases = partial(update_cases, state="state", start=_adam_state, hyper=lambda rng: {
    "lr": number(rng, 1e-3, 0.1), "beta1": number(rng, 0.8, 0.95),
    "beta2": number(rng, 0.95, 0.999), "eps": 1e-8})


def regression_data(rng, n: int, d: int, k: int) -> dict:
    """``X`` ``(n, d)``, ``y`` ``(n, k)`` from a noisy linear model, and small starting params."""
    X = rng.normal(size=(n, d))
    y = X @ rng.normal(size=(d, k)) + rng.normal(0.0, 0.1, (n, k))
    return {"X": X, "y": y, "params": params_like(rng, {"W": (d, k), "b": (k,)}, 0.1),
            "loss_fn": fn("linear_regression")}


def train_cases(rng):
    """Data sizes that are never a multiple of the batch size: the last batch is short."""
    cases = []
    for _i in range(3):
        batch_size = int(rng.integers(2, 6))
        n = batch_size * int(rng.integers(1, 5)) + int(rng.integers(1, batch_size))
        data = regression_data(rng, n, int(rng.integers(1, 4)), int(rng.integers(1, 3)))
        cases.append({**data, "lr": number(rng, 0.01, 0.1),
                      "epochs": int(rng.integers(2, 5)), "batch_size": batch_size,
                      "seed": int(rng.integers(0, 2**31))})
    return cases


# ---------------------------------------------------------------- what a mistake gives

def _momentum_with(update):
    """A momentum step made of a per-array ``update(p, g, v, lr, beta) -> (p′, v′)``."""
    def step(ref, params, grads, velocity, lr, beta=0.9):
        new = {k: update(params[k], grads[k], velocity[k], lr, beta) for k in params}
        return {k: p for k, (p, _v) in new.items()}, {k: v for k, (_p, v) in new.items()}
    return step


def _cs231n(p, g, v, lr, beta):
    v = beta * v - lr * g
    return p + v, v


def _dampened(p, g, v, lr, beta):
    v = beta * v + (1.0 - beta) * g
    return p - lr * v, v


def _old_velocity(p, g, v, lr, beta):
    return p - lr * v, beta * v + g


def _adam_with(correction):
    """An Adam step whose bias correction divides by ``correction(beta, t′)``."""
    def step(ref, params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        t = int(state["t"]) + 1
        m = {k: beta1 * state["m"][k] + (1 - beta1) * grads[k] for k in params}
        v = {k: beta2 * state["v"][k] + (1 - beta2) * grads[k] ** 2 for k in params}
        with np.errstate(divide="ignore", invalid="ignore"):
            new = {k: params[k] - lr * (m[k] / correction(beta1, t))
                   / (np.sqrt(v[k] / correction(beta2, t)) + eps) for k in params}
        return new, {"t": t, "m": m, "v": v}
    return step


def _stale_counter(ref, params, grads, state, **hyper):
    new_params, new_state = ref.adam_step(params, grads, state, **hyper)
    return new_params, {**new_state, "t": state["t"]}


def _orders_one_rng(seed, n, epochs):
    rng = np.random.default_rng(seed)
    return [rng.permutation(n) for _i in range(epochs)]


def _orders_rng_per_epoch(seed, n, epochs):
    return [np.random.default_rng(seed).permutation(n) for _i in range(epochs)]


def _orders_legacy(seed, n, epochs):
    legacy = np.random.RandomState(seed)
    return [legacy.permutation(n) for _i in range(epochs)]


def _orders_unshuffled(seed, n, epochs):
    return [np.arange(n)] * epochs


def _train(ref, X, y, params, loss_fn, lr, epochs, batch_size, seed, *,
           orders=_orders_one_rng, weighted=True, last_batch=True):
    """``train_sgd`` with one of its rules changed: how batches are ordered, whether the
    history weighs batches by size, whether the short last batch is used."""
    n = len(X)
    end = n if last_batch else n - batch_size + 1
    history = []
    for perm in orders(seed, n, epochs):
        losses, sizes = [], []
        for start in range(0, end, batch_size):
            idx = perm[start:start + batch_size]
            loss, grads = loss_fn(X[idx], y[idx], params)
            params = {k: params[k] - lr * grads[k] for k in params}
            losses.append(loss)
            sizes.append(len(idx))
        history.append(np.average(losses, weights=sizes if weighted else None))
    return params, np.array(history)


MISTAKES = {
    "sgd_step": {
        mistake("gradient-ascent", N_(
            "You stepped along the gradient (p + lr·g): descent goes against it, p − lr·g.")):
            lambda ref, params, grads, lr: ref.sgd_step(params, grads, -lr)},
    "momentum_step": {
        mistake("cs231n-momentum", N_(
            "This is the CS231n convention, v′ = β·v − lr·g and p′ = p + v′, where the velocity "
            "holds steps. This course uses PyTorch's: v′ = β·v + g and p′ = p − lr·v′, where the "
            "velocity holds gradients.")): _momentum_with(_cs231n),
        mistake("dampened-momentum", N_(
            "You scaled the gradient by (1 − β): v′ = β·v + (1 − β)·g is an exponential average "
            "(Adam's m is one). Momentum here adds the whole gradient: v′ = β·v + g.")):
            _momentum_with(_dampened),
        mistake("stale-velocity", N_(
            "You updated the parameters with the old velocity: compute v′ = β·v + g first, then "
            "p′ = p − lr·v′.")): _momentum_with(_old_velocity),
    },
    "adam_step": {
        mistake("no-bias-correction", N_(
            "There is no bias correction: divide m′ by (1 − β1^t′) and v′ by (1 − β2^t′) before "
            "the update, with t′ = t + 1 (without it the first steps are far too small).")):
            _adam_with(lambda beta, t: 1.0),
        mistake("bias-correction-old-t", N_(
            "The bias correction uses the old step count t: increment it first, t′ = t + 1, and "
            "correct with 1 − β^t′.")): _adam_with(lambda beta, t: 1.0 - beta ** (t - 1)),
        mistake("stale-step-count", N_(
            "The returned state keeps the old step count: it must hold t′ = t + 1, or the next "
            "step's bias correction is wrong.")): _stale_counter,
    },
    "train_sgd": {
        mistake("rng-per-epoch", N_(
            "Every epoch visits the examples in the same order: the generator was created anew "
            "each epoch. Make rng = np.random.default_rng(seed) once, before the epoch loop, and "
            "draw perm = rng.permutation(N) from it every epoch.")):
            partial(_train, orders=_orders_rng_per_epoch),
        mistake("legacy-global-rng", N_(
            "The order follows NumPy's legacy global generator (np.random.seed, "
            "np.random.permutation): make rng = np.random.default_rng(seed) once and draw "
            "perm = rng.permutation(N) every epoch.")): partial(_train, orders=_orders_legacy),
        mistake("not-shuffled", N_(
            "The examples were never shuffled: every epoch walks perm = rng.permutation(N), with "
            "rng = np.random.default_rng(seed) made once.")):
            partial(_train, orders=_orders_unshuffled),
        mistake("skipped-last-batch", N_(
            "The last, shorter batch was skipped: walk perm in slices of batch_size up to N; the "
            "last slice may hold fewer examples.")): partial(_train, last_batch=False),
        mistake("unweighted-history", N_(
            "The history averages the batch losses with equal weights: the last batch is shorter, "
            "so weight each batch's loss by its size, Σ loss_b·len(idx_b) / N.")):
            partial(_train, weighted=False),
    },
}


# ---------------------------------------------------------------- public cases

_public = np.random.default_rng(5)
SHAPES = {"W": (2, 3), "b": (3,)}
PARAMS = {"W": np.array([[0.5, -1.0, 0.25], [1.5, 0.0, -0.75]]), "b": np.array([0.1, -0.2, 0.3])}
GRADS = {"W": np.array([[0.2, 0.4, -0.6], [-1.0, 0.3, 0.1]]), "b": np.array([-0.5, 0.25, 1.0])}
VELOCITY = {"W": np.array([[0.1, -0.3, 0.2], [0.5, 0.0, -0.4]]), "b": np.array([0.2, 0.1, -0.1])}
ZEROS = zeros_like(PARAMS)
GRAD_SEQUENCE = [params_like(_public, SHAPES) for _i in range(5)]

PUBLIC_SGD = [{"params": PARAMS, "grads": GRADS, "lr": 0.1},
              {"params": {"w": np.array([1.0, -2.0])}, "grads": {"w": np.array([0.5, 0.5])},
               "lr": 0.5}]
PUBLIC_MOMENTUM = [{"params": PARAMS, "grads": GRADS, "velocity": VELOCITY, "lr": 0.1},
                   {"params": PARAMS, "grads": GRADS, "velocity": VELOCITY, "lr": 0.05,
                    "beta": 0.5},
                   {"params": PARAMS, "grads": GRADS, "velocity": ZEROS, "lr": 0.1}]
MOMENTUM_STEPS = [{"params": PARAMS, "grads": GRAD_SEQUENCE[:4], "velocity": ZEROS, "lr": 0.1,
                   "beta": 0.9}]
PUBLIC_ADAM = [  # a state in mid-run first: its feedback can name the bias-correction mistakes
    {"params": PARAMS, "grads": GRADS,
     "state": {"t": 3, "m": VELOCITY, "v": {k: v**2 + 0.01 for k, v in GRADS.items()}},
     "lr": 0.01},
    {"params": PARAMS, "grads": GRADS, "state": {"t": 0, "m": ZEROS, "v": ZEROS}, "lr": 0.1,
     "beta1": 0.8, "beta2": 0.99, "eps": 1e-8},
]
ADAM_STEPS = [{"params": PARAMS, "grads": GRAD_SEQUENCE, "state": {"t": 0, "m": ZEROS,
                                                                    "v": ZEROS}, "lr": 0.1}]
PUBLIC_TRAIN = [
    {**regression_data(_public, 10, 3, 2), "lr": 0.05, "epochs": 3, "batch_size": 4, "seed": 0},
    {**regression_data(_public, 7, 2, 1), "lr": 0.1, "epochs": 2, "batch_size": 3, "seed": 42},
]


def stepped(fn_name: str, state: str, public: list, hidden) -> list[Check]:
    """The two multi-step checks of an optimizer with state, one point each."""
    return [Steps(1, cases, state=state, mistakes=MISTAKES[fn_name])
            for cases in (public, hidden)]


EXERCISE = Exercise(
    id="optimizers",
    title=N_("Weight updates: SGD, momentum, Adam and mini-batch training"),
    parts=[
        Part("sgd_step", [*compared(MISTAKES, "sgd_step", PUBLIC_SGD, sgd_cases),
                          Unmodified(1, PUBLIC_SGD)]),
        Part("momentum_step", [
            *compared(MISTAKES, "momentum_step", PUBLIC_MOMENTUM, momentum_cases,
                      kinds=first_or_later),
            *stepped("momentum_step", "velocity", MOMENTUM_STEPS,
                     partial(momentum_cases, steps=4)),
            Unmodified(1, PUBLIC_MOMENTUM)], returns=("new_params", "new_velocity")),
        Part("adam_step", [
            *compared(MISTAKES, "adam_step", PUBLIC_ADAM, adam_cases, kinds=first_or_later),
            *stepped("adam_step", "state", ADAM_STEPS, partial(adam_cases, steps=5)),
            Unmodified(1, PUBLIC_ADAM)], returns=("new_params", "new_state")),
        Part("train_sgd", [
            *compared(MISTAKES, "train_sgd", PUBLIC_TRAIN, train_cases),
            Unmodified(1, PUBLIC_TRAIN)], returns=("params", "history")),
    ],
)
