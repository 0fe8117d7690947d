"""Chapter 3 — the forward and backward pass of a multilayer perceptron.

The dense layer's backward pass gets a cache ``(x, W, b)`` that the grader
builds, on non-square shapes so that a transposed gradient shows.  The MLP's
backward pass is checked on the student's *own* forward cache, which never
leaves their process (:class:`OwnCache`), against the reference and against
central differences along random directions plus a few sampled elements of
every parameter (:class:`ParamSlopes`), for every activation and one to four
layers.  The ``stability`` exercise uses the same check kinds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from autograder.checks.behaviour import Raises, Unmodified
from autograder.checks.gradients import (
    Gradient,
    ParamSlopes,
)
from autograder.checks.values import compared
from autograder.checks.wrappers import OwnCache, Rewired
from autograder.grading.reference import load_reference
from autograder.i18n import N_
from autograder.sandbox.child import callables
from autograder.spec import Check, Exercise, Part, Text, as_text, mistake

ORDER = 4
KINK_GAP = 1e-3  # ReLU pre-activations of every case stay this far from 0 (h is 1e-5)


# --------------------------------------------------------------------------- check kinds


# --------------------------------------------------------------------------- inputs

def fixed(shape: tuple, phase: float, scale: float = 1.0) -> np.ndarray:
    """Irregular values in ``[−scale, scale]`` with two decimals, for public inputs (no RNG)."""
    count = int(np.prod(shape))
    return np.round(scale * np.sin(2.3 * np.arange(1, count + 1) + phase), 2).reshape(shape)


def normal(rng: np.random.Generator, *shape: int) -> np.ndarray:
    """Standard normal values with two decimals: easy to read back in feedback."""
    return np.round(rng.normal(size=shape), 2)


def relu_gap(x, params) -> float:
    """How close a hidden pre-activation ``z_l`` ``(N, D_l)`` of the ReLU network ``params``
    at ``x`` ``(N, D_0)`` comes to 0 (infinite for a single layer)."""
    gap, h = np.inf, x
    for k in range(1, len(params) // 2):
        z = h @ params[f"W{k}"] + params[f"b{k}"]
        gap, h = min(gap, float(np.min(np.abs(z)))), np.maximum(z, 0.0)
    return gap


def mlp_params(sizes, draw: Callable[[tuple], np.ndarray]) -> dict:
    """``W_l`` ``(D_{l−1}, D_l)`` and ``b_l`` ``(D_l,)`` for the widths ``sizes`` = ``[D_0 …
    D_L]``, from ``draw(shape)`` (values of order 1; W scaled by 1/√D_{l−1})."""
    params = {}
    for k in range(1, len(sizes)):
        params[f"W{k}"] = draw((sizes[k - 1], sizes[k])) / np.sqrt(sizes[k - 1])
        params[f"b{k}"] = 0.5 * draw((sizes[k],))
    return params


def public_mlp(sizes, activation, n=3, phase=0.0) -> dict:
    """A public MLP case, from fixed values: ``x`` ``(n, sizes[0])`` and its params."""
    count = iter(range(100))
    params = mlp_params(sizes, lambda shape: fixed(shape, phase + next(count)))
    return {"x": fixed((n, sizes[0]), phase - 1), "params": params, "activation": activation}


def random_mlp(rng: np.random.Generator, depth: int, activation: str) -> dict:
    """A hidden MLP case of ``depth`` layers: ``x`` ``(N, D_0)`` with N from 2 to 6, widths
    all different (no square W, so a transposed gradient shows), clear of the ReLU kink."""
    while True:
        sizes = [int(s) for s in rng.choice(np.arange(2, 8), depth + 1, replace=False)]
        x = normal(rng, int(rng.integers(2, 7)), sizes[0])
        params = mlp_params(sizes, lambda shape: normal(rng, *shape))
        if activation != "relu" or relu_gap(x, params) > KINK_GAP:
            return {"x": x, "params": params, "activation": activation}


def every_mlp(rng: np.random.Generator, depths=(1, 2, 3, 4)) -> list[dict]:
    """One hidden MLP case per activation and number of layers in ``depths``."""
    return [random_mlp(rng, depth, activation) for activation in ("relu", "sigmoid", "tanh")
            for depth in depths]


def deep_mlp(rng: np.random.Generator) -> list[dict]:
    """Fewer hidden cases, for the checks of what every case already went through."""
    return every_mlp(rng, depths=(2, 4))


def scores_shape(case: dict) -> tuple[int, int]:
    """``(N, C)``: the shape of an MLP case's scores."""
    params = case["params"]
    return len(case["x"]), params[f"W{len(params) // 2}"].shape[1]


def with_upstream(name: str, cases: list[dict], rng: np.random.Generator | None) -> list[dict]:
    """The cases with an upstream gradient ``(N, C)`` for the scores first, random or fixed."""
    return [{name: fixed(scores_shape(case), 0.7 * i) if rng is None
             else normal(rng, *scores_shape(case)), **case} for i, case in enumerate(cases)]


def with_labels(cases: list[dict], rng: np.random.Generator | None) -> list[dict]:
    """The cases with integer labels ``y`` ``(N,)`` in ``[0, C)`` after ``x``, random or
    fixed."""
    out = []
    for case in cases:
        n, c = scores_shape(case)
        y = np.arange(n) % c if rng is None else rng.integers(0, c, n)
        out.append({"x": case["x"], "y": y, "params": case["params"],
                    "activation": case["activation"]})
    return out


def dense_cases(rng: np.random.Generator) -> list[dict]:
    """Four layers: ``x`` ``(N, D)``, ``W`` ``(D, M)``, ``b`` ``(M,)`` with N, D, M all
    different, so that a transposed gradient shows."""
    cases = []
    for _i in range(4):
        n, d, m = (int(s) for s in rng.choice(np.arange(2, 8), 3, replace=False))
        cases.append({"x": normal(rng, n, d), "W": normal(rng, d, m), "b": normal(rng, m)})
    return cases


def dense_backward_cases(rng: np.random.Generator) -> list[dict]:
    return [{"dout": normal(rng, len(c["x"]), len(c["b"])), **c} for c in dense_cases(rng)]


# --------------------------------------------------------------------------- objectives

def dense_objective(ref, dout, x, W, b):
    return float(np.sum(dout * ref.dense_forward(x, W, b)[0]))


def scores_objective(ref, dscores, x, params, activation):
    return float(np.sum(dscores * ref.mlp_forward(x, params, activation)[0]))


def loss_value(ref, x, y, params, activation):
    return ref.mlp_loss(x, y, params, activation)[0]


# --------------------------------------------------------------------------- mistakes

def sibling(ref, exercise: str):
    """The reference of another exercise, from the folder ``ref`` was loaded from."""
    return load_reference(exercise, Path(ref.__file__).parent)


def activation_of(ref, activation: str) -> Callable:
    """The elementwise activation function named ``activation``, from the references."""
    act = sibling(ref, "activations")
    return {"relu": act.relu, "sigmoid": act.sigmoid, "tanh": np.tanh}[activation]


def hidden_layers(ref, x, params, activation) -> list[tuple[np.ndarray, np.ndarray]]:
    """``[(z_l, h_l)]``, both ``(N, D_l)``, for the hidden layers ``l < L``: z_l is what the
    reference's forward pass through the first l layers returns (its last layer is linear)."""
    act = activation_of(ref, activation)
    out = []
    for depth in range(1, len(params) // 2):
        first = {key: value for key, value in params.items() if int(key[1:]) <= depth}
        z = ref.mlp_forward(x, first, activation)[0]
        out.append((z, act(z)))
    return out


def mlp_grads(ref, dscores, x, params, activation, local: Callable) -> dict:
    """The gradients of ``sum(dscores · scores)`` when going back through hidden layer l
    multiplies by ``local(z_l, h_l)``: the shape of a backward pass that gets the local
    derivative wrong."""
    hidden = hidden_layers(ref, x, params, activation)
    inputs = [x] + [h for _z, h in hidden]
    grads, dz = {}, dscores
    for k in range(len(inputs), 0, -1):
        cache = (inputs[k - 1], params[f"W{k}"], params[f"b{k}"])
        dh, grads[f"W{k}"], grads[f"b{k}"] = ref.dense_backward(dz, cache)
        if k > 1:
            dz = dh * local(*hidden[k - 2])
    return {key: grads[key] for key in params}


def _no_activation_slope(ref, dscores, x, params, activation):
    return mlp_grads(ref, dscores, x, params, activation, lambda z, h: 1.0)


def _slope_at_output(ref, dscores, x, params, activation):
    act = sibling(ref, "activations")
    slope = {"relu": act.relu_grad, "sigmoid": act.sigmoid_grad, "tanh": act.tanh_grad}
    return mlp_grads(ref, dscores, x, params, activation,
                     lambda z, h: slope[activation](h))


def _loss_without_onehot(ref, x, y, params, activation):
    scores, cache = ref.mlp_forward(x, params, activation)
    softmax = sibling(ref, "losses").softmax(scores)
    return loss_value(ref, x, y, params, activation), ref.mlp_backward(softmax / len(y), cache)


def backward_in_loss(mistake: Callable) -> Callable:
    """What ``mlp_loss`` returns when it gets its gradients from a mistaken ``mlp_backward``."""
    def wrong(ref, x, y, params, activation):
        scores = ref.mlp_forward(x, params, activation)[0]
        loss, dscores = sibling(ref, "losses").softmax_cross_entropy(scores, y)
        return loss, mistake(ref, dscores, x, params, activation)
    return wrong


def forward_in_loss(mistake: Callable) -> Callable:
    """What ``mlp_loss`` returns when it gets its scores from a mistaken ``mlp_forward``
    (with the right gradients: the loss is compared first)."""
    def wrong(ref, x, y, params, activation):
        scores = mistake(ref, x, params, activation)
        loss = sibling(ref, "losses").softmax_cross_entropy(scores, y)[0]
        return loss, ref.mlp_loss(x, y, params, activation)[1]
    return wrong


FORWARD_MISTAKES = {  # message: the scores the mistake gives
    mistake("activation-on-scores", N_(
        "The activation was applied to the last layer too: the scores are z_L = h_{L−1} @ W_L + "
        "b_L, with no activation.")):
        lambda ref, x, params, activation: activation_of(ref, activation)(
            ref.mlp_forward(x, params, activation)[0]),
    mistake("ignored-activation", N_(
        "These are the scores of a ReLU network: the `activation` argument is ignored.")):
        lambda ref, x, params, activation: ref.mlp_forward(x, params, "relu")[0],
}
BACKWARD_MISTAKES = {
    mistake("missing-activation-derivative", N_(
        "The gradients miss the activation's derivative: going back through a hidden layer, "
        "multiply the upstream gradient by act'(z) elementwise (chain rule) before the next "
        "layer's matrix product.")): _no_activation_slope,
    mistake("derivative-at-output", N_(
        "The activation's derivative was taken at the layer's output h = act(z) instead of at its "
        "input z: with h cached, σ'(z) = h(1 − h) and tanh'(z) = 1 − h².")): _slope_at_output,
}
MISTAKES = {
    "dense_backward": {
        mistake("mean-bias-gradient", N_(
            "db is the mean of dout over the batch: the bias is added to every example, so its "
            "gradient is the sum over the batch, np.sum(dout, axis=0).")):
            lambda ref, dout, x, W, b: (*ref.dense_backward(dout, (x, W, b))[:2],
                                        dout.mean(axis=0))},
    "mlp_forward": FORWARD_MISTAKES,
    "mlp_backward": BACKWARD_MISTAKES,
    "mlp_loss": {
        mistake("missing-onehot", N_(
            "The gradients start from softmax(scores)/N without the one-hot labels subtracted: "
            "dscores = (softmax(scores) − onehot(y)) / N.")): _loss_without_onehot,
        # Translators: {mistake} is the diagnosis of a mistake in another function.
        **{Text(N_("{mistake} (mlp_loss gets its gradients from mlp_backward.)"),
                mistake=as_text(message)): backward_in_loss(mistake)
           for message, mistake in BACKWARD_MISTAKES.items()},
        **{Text(N_("{mistake} (mlp_loss gets its scores from mlp_forward.)"),
                mistake=as_text(message)): forward_in_loss(mistake)
           for message, mistake in FORWARD_MISTAKES.items()}},
}


# --------------------------------------------------------------------------- declaration

PUBLIC_DENSE = [
    {"x": fixed((4, 3), 0.0), "W": fixed((3, 2), 1.0), "b": fixed((2,), 2.0)},
    {"x": fixed((2, 5), 3.0), "W": fixed((5, 3), 4.0), "b": fixed((3,), 5.0)},
]
PUBLIC_DENSE_BACKWARD = [{"dout": fixed((len(c["x"]), len(c["b"])), 6.0 + i), **c}
                         for i, c in enumerate(PUBLIC_DENSE)]
PUBLIC_MLP = [public_mlp([4, 5, 3], "relu"), public_mlp([3, 5, 4, 2], "sigmoid", n=4, phase=1),
              public_mlp([4, 6, 5, 3, 2], "tanh", phase=2), public_mlp([5, 3], "relu", phase=3)]
PUBLIC_MLP_BACKWARD = with_upstream("dscores", PUBLIC_MLP, None)
PUBLIC_MLP_LOSS = with_labels(PUBLIC_MLP, None)
BAD_ACTIVATION = [{"x": PUBLIC_MLP[0]["x"], "params": PUBLIC_MLP[0]["params"],
                   "activation": "softmax"}]


def as_cache(args):
    """``[dout, x, W, b]`` → ``[dout, (x, W, b)]``, the tuple made in the student's process."""
    return [args[0], callables.ref("as_tuple", *args[1:])]


def with_cache(check: Check) -> Rewired:
    return Rewired(check, sent=as_cache, used=lambda ref, args: [args[0], tuple(args[1:])],
                   # Translators: {title} is the title of another check ("matches the
                   # reference on the public inputs").
                   title=check.titled(N_("{title}, with cache = (x, W, b)")))


def output_only(check: Check) -> Rewired:
    return Rewired(check, item=0)


def on_own_cache(check: Check) -> OwnCache:
    return OwnCache(check, "mlp_forward")


def mlp_backward_cases(rng):
    return with_upstream("dscores", every_mlp(rng), rng)


def deep_backward_cases(rng):
    return with_upstream("dscores", deep_mlp(rng), rng)


def mlp_loss_cases(rng):
    return with_labels(deep_mlp(rng), rng)


def activation(inputs) -> str:
    """The kind of an MLP case: its activation (ReLU-only networks are a common half-way
    point); code, not a message to translate."""
    return f"activation = {inputs['activation']!r}"


SLOPES_OF_SCORES = dict(forward=scores_objective, of="sum(dscores · scores)")
SLOPES_OF_LOSS = dict(forward=loss_value, of=N_("the loss"), item=1)

EXERCISE = Exercise(
    id="backprop",
    title=N_("The forward and backward pass of an MLP"),
    parts=[
        Part("dense_forward", [
            *compared(MISTAKES, "dense_forward", PUBLIC_DENSE, dense_cases),
            Unmodified(1, PUBLIC_DENSE)], returns=("out", "cache")),
        Part("dense_backward", [
            *(with_cache(c) for c in compared(MISTAKES, "dense_backward", PUBLIC_DENSE_BACKWARD,
                                              dense_backward_cases)),
            with_cache(Gradient(1, PUBLIC_DENSE_BACKWARD, forward=dense_objective,
                                of="sum(dout · out)", wrt={0: "x", 1: "W", 2: "b"})),
            with_cache(Gradient(1, dense_backward_cases, forward=dense_objective,
                                of="sum(dout · out)", wrt={0: "x", 1: "W", 2: "b"}))],
             returns=("dx", "dW", "db")),
        Part("mlp_forward", [
            *(output_only(c) for c in compared(MISTAKES, "mlp_forward", PUBLIC_MLP, every_mlp,
                                               kinds=activation)),
            output_only(Raises(1, BAD_ACTIVATION)),
            output_only(Unmodified(1, PUBLIC_MLP))], returns=("scores", "cache")),
        Part("mlp_backward", [
            *(on_own_cache(c) for c in compared(MISTAKES, "mlp_backward", PUBLIC_MLP_BACKWARD,
                                                mlp_backward_cases, kinds=activation)),
            on_own_cache(ParamSlopes(1, PUBLIC_MLP_BACKWARD, **SLOPES_OF_SCORES,
                                     kinds=activation)),
            on_own_cache(ParamSlopes(1, deep_backward_cases, **SLOPES_OF_SCORES,
                                     kinds=activation))]),
        Part("mlp_loss", [
            *compared(MISTAKES, "mlp_loss", PUBLIC_MLP_LOSS, mlp_loss_cases, kinds=activation),
            ParamSlopes(1, PUBLIC_MLP_LOSS, **SLOPES_OF_LOSS, kinds=activation),
            ParamSlopes(1, mlp_loss_cases, **SLOPES_OF_LOSS, kinds=activation),
            Unmodified(1, PUBLIC_MLP_LOSS)], returns=("loss", "grads")),
    ],
)
