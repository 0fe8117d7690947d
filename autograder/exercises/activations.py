"""Chapter 2 — activation functions and their derivatives.

Every derivative is held against central differences of the reference's
forward function; the forward functions against the reference itself.
"""

from __future__ import annotations

import numpy as np

from autograder.checks.behaviour import Unmodified
from autograder.checks.gradients import Gradient
from autograder.checks.values import OneSided, Stable, compared
from autograder.i18n import N_
from autograder.spec import Exercise, Part, Text, mistake

ORDER = 2

X1 = np.array([-3.0, -0.5, 0.25, 2.0])
X2 = np.array([[0.8, -1.7, 2.4], [-0.3, 1.1, -2.9]])
EXTREME = np.array([-1000.0, -40.0, -1e-3, 0.0, 1e-3, 40.0, 1000.0])
KINK = np.array([-2.0, 0.0, 0.0, 1.5])
ALPHA_D = np.array([0.1, 0.25, 0.05])


def batch(rng: np.random.Generator, low: float = 1e-3, scale: float = 4.0) -> np.ndarray:
    """A random ``(N, D)`` batch whose entries keep at least ``low`` away from 0 (the kink)."""
    n, d = rng.integers(2, 9), rng.integers(2, 7)
    x = rng.uniform(low, scale, size=(n, d))
    return x * rng.choice([-1.0, 1.0], size=x.shape)


def xs(rng):
    """Three batches and one vector (``(D,)``): elementwise functions take any shape."""
    return [{"x": batch(rng)} for _i in range(3)] + [{"x": batch(rng)[0]}]


def leaky_cases(rng):
    """Three cases with a given ``alpha`` and one with the default."""
    return [{"x": batch(rng), "alpha": float(rng.uniform(0.01, 0.3))} for _i in range(3)] + \
        [{"x": batch(rng)}]


# ------------------------------------------------------------------ kinds of input
# (in English, marked with N_: the grader translates a kind when it shows it)

EXTREME_X = N_("x up to |x| = 1000")


def rank(inputs) -> str:
    """``"a 2-D x"``: a case's kind for elementwise functions, which take any shape;
    ``x`` up to |x| = 1000 is a kind of its own."""
    x = np.asarray(inputs["x"])
    if np.max(np.abs(x)) >= 1000:
        return EXTREME_X
    # Translators: a kind of input, shown after "for": "a 2-D x" is a 2-dimensional array x.
    return Text(N_("a {ndim}-D {name}"), ndim=x.ndim, name="x")


def given_alpha(inputs) -> str:
    """Leaky ReLU's cases: the default ``alpha`` or a given one (and extreme ``x``)."""
    if np.max(np.abs(inputs["x"])) >= 1000:
        return EXTREME_X
    return N_("a given alpha") if "alpha" in inputs else N_("the default alpha")


def alpha_shape(inputs) -> str:
    """PReLU's cases: a scalar ``alpha`` or one per channel (and extreme ``x``)."""
    if np.max(np.abs(inputs["x"])) >= 1000:
        return EXTREME_X
    return N_("a scalar alpha") if np.ndim(inputs["alpha"]) == 0 else \
        N_("a per-channel alpha (D,)")


def prelu_cases(rng):
    cases = []
    for scalar in (True, False, True, False):
        x = batch(rng)
        alpha = float(rng.uniform(0.05, 0.4)) if scalar else rng.uniform(0.05, 0.4, x.shape[1])
        cases.append({"x": x, "alpha": alpha})
    return cases


def prelu_backward_cases(rng):
    return [{"dout": rng.standard_normal(c["x"].shape), **c} for c in prelu_cases(rng)]


def sigmoid(ref, x):
    return ref.sigmoid(x)


def tanh(ref, x):
    return np.tanh(x)


def relu(ref, x):
    return ref.relu(x)


def leaky(ref, x, alpha=0.01):
    return ref.leaky_relu(x, alpha)


def prelu_objective(ref, dout, x, alpha):
    return float(np.sum(dout * ref.prelu(x, alpha)))


def _exp_sign_flipped(ref, x):
    return ref.sigmoid(-x)


def _formula_on_x(ref, x):
    return x * (1 - x)


def _tanh_on_x(ref, x):
    return 1 - x**2


def _no_square(ref, x):
    return 1 - np.tanh(x)


def _value_not_slope(ref, x, alpha=0.01):
    return ref.leaky_relu(x, alpha)


def _default_alpha(ref, x, alpha=0.01):
    return ref.leaky_relu(x, 0.01)


def _dropped_upstream(ref, dout, x, alpha):
    dx, dalpha = ref.prelu_backward(dout, x, alpha)
    return np.where(x > 0, 1.0, alpha * np.ones_like(x)), dalpha


FLIPPED_EXP = mistake("exp-sign-flip", N_(
    "This is σ(−x): the exponent's sign is flipped. σ(x) = 1 / (1 + exp(−x)), with a minus "
    "inside exp."))
# --8<-- [start:mistakes]
MISTAKES = {  # each message marked with N_: the feedback shows it translated
    "sigmoid": {FLIPPED_EXP: _exp_sign_flipped},
    "sigmoid_grad": {
        mistake("sigmoid-formula-on-x", N_(
            "You applied s(1 − s) to x itself: s must be σ(x), so compute σ(x) first.")):
            _formula_on_x,
        mistake("returned-the-function", N_(
            "You returned σ(x), the function itself, not its derivative σ(x)(1 − σ(x)).")):
            lambda ref, x: ref.sigmoid(x)},
    "tanh_grad": {
        mistake("tanh-not-applied", N_(
            "You computed 1 − x²: the formula is 1 − tanh(x)², so apply tanh first.")):
            _tanh_on_x,
        mistake("tanh-not-squared", N_("You computed 1 − tanh(x): the tanh must be squared.")):
            _no_square},
    "relu_grad": {
        mistake("returned-the-function", N_(
            "You returned relu(x), the function itself; its derivative is 1 or 0.")):
            lambda ref, x: ref.relu(x)},
    "leaky_relu": {
        mistake("ignored-alpha", N_(
            "Your result ignores the `alpha` argument (it always uses 0.01).")): _default_alpha},
    "leaky_relu_grad": {
        mistake("returned-the-function", N_(
            "You returned the function's value, not its slope (1 or alpha).")): _value_not_slope,
        mistake("relu-slope-for-leaky", N_(
            "This is the ReLU derivative: for x < 0 the slope of leaky ReLU is alpha, not 0.")):
            lambda ref, x, alpha=0.01: ref.relu_grad(x)},
    "prelu_backward": {
        mistake("dropped-upstream", N_(
            "dx is the local derivative alone: the upstream gradient `dout` was dropped. "
            "Multiply the local derivative by dout (chain rule).")): _dropped_upstream},
}

# --8<-- [end:mistakes]

PUBLIC_X = [{"x": X1}, {"x": X2}]
PUBLIC_X_EXTREME = [*PUBLIC_X, {"x": EXTREME}]
PUBLIC_LEAKY = [{"x": X1, "alpha": 0.01}, {"x": X2, "alpha": 0.2}, {"x": X2}]
PUBLIC_PRELU = [{"x": X1, "alpha": 0.1}, {"x": X2, "alpha": ALPHA_D}]
PUBLIC_PRELU_BACKWARD = [
    {"dout": np.array([0.5, -1.0, 2.0, 0.3]), "x": X1, "alpha": 0.1},
    {"dout": np.array([[1.0, -0.5, 0.2], [0.7, 1.3, -2.0]]), "x": X2, "alpha": ALPHA_D},
]
EXTREME_PRELU_BACKWARD = [{"dout": np.linspace(-1.0, 1.0, EXTREME.size), "x": EXTREME,
                           "alpha": 0.1}]

# --8<-- [start:exercise]
EXERCISE = Exercise(
    id="activations",
    title=N_("Activation functions and their derivatives"),
    parts=[
        Part("sigmoid", [*compared(MISTAKES, "sigmoid", PUBLIC_X, xs, kinds=rank),
                         Stable(1, [{"x": EXTREME}])]),
        Part("sigmoid_grad", [
            *compared(MISTAKES, "sigmoid_grad", PUBLIC_X, xs, kinds=rank),
            Gradient(1, PUBLIC_X, forward=sigmoid, of="sigmoid", wrt={None: "x"},
                     elementwise=True, kinds=rank),
            Stable(1, [{"x": EXTREME}])]),
        Part("tanh_grad", [
            *compared(MISTAKES, "tanh_grad", PUBLIC_X, xs, kinds=rank),
            Gradient(1, PUBLIC_X, forward=tanh, of="np.tanh", wrt={None: "x"},
                     elementwise=True, kinds=rank),
            Stable(1, [{"x": EXTREME}])]),
        Part("relu", [*compared(MISTAKES, "relu", PUBLIC_X, xs, kinds=rank),
                      Unmodified(1, PUBLIC_X)]),
        Part("relu_grad", [
            *compared(MISTAKES, "relu_grad", PUBLIC_X_EXTREME, xs, kinds=rank),
            Gradient(1, xs, forward=relu, of="relu", wrt={None: "x"}, elementwise=True,
                     kinds=rank),
            OneSided(1, [{"x": KINK}], forward=relu)]),
        Part("leaky_relu", [
            *compared(MISTAKES, "leaky_relu", PUBLIC_LEAKY, leaky_cases, kinds=given_alpha),
            Unmodified(1, PUBLIC_LEAKY[:2])]),
        Part("leaky_relu_grad", [
            *compared(MISTAKES, "leaky_relu_grad", [*PUBLIC_LEAKY, {"x": EXTREME, "alpha": 0.1}],
                      leaky_cases, kinds=given_alpha),
            Gradient(1, leaky_cases, forward=leaky, of="leaky_relu", wrt={None: "x"},
                     elementwise=True, kinds=given_alpha),
            OneSided(1, [{"x": KINK, "alpha": 0.1}], forward=leaky)]),
        Part("prelu", [*compared(MISTAKES, "prelu", PUBLIC_PRELU, prelu_cases, kinds=alpha_shape),
                       Unmodified(1, PUBLIC_PRELU)]),
        Part("prelu_backward", [
            *compared(MISTAKES, "prelu_backward", PUBLIC_PRELU_BACKWARD + EXTREME_PRELU_BACKWARD,
                      prelu_backward_cases, kinds=alpha_shape),
            Gradient(1, PUBLIC_PRELU_BACKWARD, forward=prelu_objective,
                     of="sum(dout · prelu(x, alpha))", wrt={0: "x", 1: "alpha"},
                     kinds=alpha_shape),
            Gradient(1, prelu_backward_cases, forward=prelu_objective,
                     of="sum(dout · prelu(x, alpha))", wrt={0: "x", 1: "alpha"},
                     kinds=alpha_shape)], returns=("dx", "dalpha")),
    ],
)
# --8<-- [end:exercise]
