"""Chapter 1 — derivatives, gradient descent and the chain rule.

``numerical_gradient`` is held against the exact central difference computed
here with :mod:`autograder.numerics.gradcheck`, on functions and steps curved enough
that a forward difference lands far outside the tolerance.  ``chain_rule`` and
``accumulate_gradients`` are held against central differences of the function
they differentiate.  Every function passed in (``f``, ``grad_fn``, ``g``, …)
is a trusted one from :mod:`autograder.sandbox.child.callables`.
"""

from __future__ import annotations

import numpy as np

from autograder.checks.behaviour import Unmodified
from autograder.checks.gradients import (
    CentralDifference,
    Gradient,
)
from autograder.checks.values import Matches, compared
from autograder.i18n import N_
from autograder.numerics import gradcheck
from autograder.sandbox.child import callables
from autograder.sandbox.child.callables import ref as fn
from autograder.spec import Exercise, Part, mistake, number

ORDER = 1

X1 = np.array([-1.5, 0.2, 0.7, 1.1])
X2 = np.array([[0.3, -0.8, 1.4], [-1.2, 0.5, 0.9]])
X3 = np.linspace(-1.4, 1.35, 12).reshape(2, 2, 3)


# ---------------------------------------------------------------- hidden cases

def _shape(rng, ndim: int) -> tuple[int, ...]:
    return tuple(int(n) for n in rng.integers(1, 4, ndim))


def gradient_cases(rng):
    """``f`` a cubic, ``x`` 0-d to 3-d, ``h`` large enough that a forward difference shows."""
    return [{"f": fn("cubic", float(rng.choice([-1.0, 1.0])) * number(rng, 0.5, 2.0, 2)),
             "x": rng.uniform(-2.0, 2.0, _shape(rng, ndim)),
             "h": float(rng.choice([1e-2, 1e-3]))} for ndim in (0, 1, 2, 3)]


def error_cases(rng):
    cases = []
    for ndim in (1, 2, 2):
        a = rng.normal(0.0, 2.0, _shape(rng, ndim) if ndim == 2 else (int(rng.integers(2, 8)),))
        b = a + rng.normal(0.0, 1e-3, a.shape) * rng.choice([1.0, 1e3], a.shape)
        cases.append({"a": a, "b": b})
    return cases


def descent_cases(rng):
    cases = []
    for steps, shape in zip((0, int(rng.integers(1, 30)), int(rng.integers(1, 30))),
                            ((), (int(rng.integers(2, 6)),), _shape(rng, 2))):
        w0 = rng.normal(0.0, 2.0, shape)
        cases.append({"grad_fn": fn("quadratic_grad", rng.uniform(0.2, 3.0, shape),
                                    rng.normal(0.0, 1.0, shape)),
                      "w0": float(w0) if shape == () else w0,
                      "lr": number(rng, 0.01, 0.2), "steps": steps})
    return cases


def chain_cases(rng):
    cases = []
    for _i in range(4):
        outer, inner = rng.choice(["sin", "tanh", "cube"]), rng.choice(["sin", "exp", "tanh"])
        a, b = np.round(rng.uniform(0.5, 1.5, 2) * rng.choice([-1.0, 1.0], 2), 2)
        cases.append({"f_prime": fn("elementwise", str(outer), float(a), 1),
                      "g": fn("elementwise", str(inner), float(b), 0),
                      "g_prime": fn("elementwise", str(inner), float(b), 1),
                      "x": rng.uniform(-1.5, 1.5, _shape(rng, 2))})
    return cases


def micro_batches(rng, sizes, d: int = 3) -> list[tuple[np.ndarray, np.ndarray]]:
    """Batches ``(X, y)`` of the given sizes from one noisy linear model.

    ``X`` is ``(n, d)`` and ``y`` is ``(n,)`` for each size ``n``.
    """
    w = rng.normal(size=d)
    batches = []
    for n in sizes:
        X = rng.normal(size=(int(n), d))
        batches.append((X, X @ w + rng.normal(0.0, 0.5, int(n))))
    return batches


def accumulate_cases(rng):
    """Two to four micro-batches of distinct sizes (equal weights would give another answer)."""
    cases = []
    for _i in range(3):
        d = int(rng.integers(2, 5))
        sizes = rng.choice(np.arange(1, 9), size=int(rng.integers(2, 5)), replace=False)
        cases.append({"grad_fn": fn("least_squares_grad"), "w": rng.normal(size=d),
                      "batches": micro_batches(rng, sizes, d)})
    return cases


# ---------------------------------------------------------------- what a mistake gives

def _quotients(f, x, h, low: int, high: int, width: int) -> np.ndarray:
    """Element i: ``(f(x + high·h·eᵢ) − f(x + low·h·eᵢ)) / (width·h)``."""
    x = np.array(x, dtype=np.float64)
    out = np.empty_like(x)
    for i in range(x.size):
        step = np.zeros(x.size)
        step[i] = h
        step = step.reshape(x.shape)
        out.reshape(-1)[i] = (f(x + high * step) - f(x + low * step)) / (width * h)
    return out


def _relative(a, b, eps, denominator, reduce) -> float:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(reduce(np.abs(a - b) / np.maximum(eps, denominator(np.abs(a), np.abs(b)))))


def _max_denominator(ref, a, b, eps=1e-8):
    return _relative(a, b, eps, np.maximum, np.max)


def _mean_error(ref, a, b, eps=1e-8):
    return _relative(a, b, eps, np.add, np.mean)


def _norm_ratio(ref, a, b, eps=1e-8):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / max(eps, np.linalg.norm(a) + np.linalg.norm(b)))


def _aliased_history(ref, grad_fn, w0, lr, steps):
    history = ref.gradient_descent(grad_fn, w0, lr, steps)
    return np.repeat(history[-1:], len(history), axis=0)


def antiderivative(f_prime: callables.Ref) -> callables.Ref:
    """The function whose derivative ``f_prime`` (an ``elementwise`` reference) is."""
    kind, a = f_prime["args"][:2]
    return fn("elementwise", kind, a, 0)


def composed(ref, f_prime, g, g_prime, x):
    """``f(g(x))``, elementwise: what ``chain_rule`` differentiates."""
    return antiderivative(f_prime)(g(x))


def pooled_loss(ref, grad_fn, w, batches):
    """The mean squared error over all examples of all batches (``grad_fn``'s loss)."""
    X = np.concatenate([X for X, _y in batches])
    y = np.concatenate([y for _X, y in batches])
    return callables.linear_mse(X, y, w)[0]


def _batch_gradients(grad_fn, w, batches):
    return [(len(X), np.asarray(grad_fn(w, X, y))) for X, y in batches]


def _equal_weights(ref, grad_fn, w, batches):
    return np.mean([g for _n, g in _batch_gradients(grad_fn, w, batches)], axis=0)


def _summed(ref, grad_fn, w, batches):
    return np.sum([g for _n, g in _batch_gradients(grad_fn, w, batches)], axis=0)


def _weighted_not_divided(ref, grad_fn, w, batches):
    return np.sum([n * g for n, g in _batch_gradients(grad_fn, w, batches)], axis=0)


FORWARD = mistake("forward-difference", N_(
    "This is the forward difference (f(x + h·eᵢ) − f(x)) / h, whose error is of order h. The "
    "central difference (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h steps to both sides and is accurate to "
    "order h²."))
MISTAKES = {
    "numerical_gradient": {
        FORWARD: lambda ref, f, x, h=gradcheck.H: _quotients(f, x, h, 0, 1, 1),
        mistake("backward-difference", N_(
            "This is the backward difference (f(x) − f(x − h·eᵢ)) / h: the central difference "
            "(f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h steps to both sides.")):
            lambda ref, f, x, h=gradcheck.H: _quotients(f, x, h, -1, 0, 1),
        mistake("divided-by-h", N_(
            "You divided by h: the two evaluations are 2h apart, so divide by 2h.")):
            lambda ref, f, x, h=gradcheck.H: _quotients(f, x, h, -1, 1, 1),
        mistake("ignored-h", N_("Your result ignores the `h` argument (it always steps by 1e-5).")):
            lambda ref, f, x, h=gradcheck.H: gradcheck.numerical_gradient(f, x),
    },
    "relative_error": {
        mistake("max-denominator", N_(
            "Your denominator is max(|a|, |b|): it is the sum |a| + |b| (and at least eps).")):
            _max_denominator,
        mistake("mean-not-max", N_(
            "You averaged the elementwise errors: the relative error is their maximum, the worst "
            "element.")): _mean_error,
        mistake("ratio-of-norms", N_(
            "You divided norms, ‖a − b‖ / (‖a‖ + ‖b‖): the relative error is taken element by "
            "element, |a − b| / max(eps, |a| + |b|), and then the maximum.")): _norm_ratio,
    },
    "gradient_descent": {
        mistake("aliased-history", N_(
            "Every row of your history is the last point: the list holds one array that was then "
            "updated in place (w -= …). Append a copy, or write w = w − lr·grad_fn(w), which makes "
            "a new array.")): _aliased_history,
        mistake("gradient-ascent", N_(
            "You stepped along the gradient (w + lr·grad): descent goes against it, "
            "w ← w − lr·grad_fn(w).")):
            lambda ref, grad_fn, w0, lr, steps: ref.gradient_descent(grad_fn, w0, -lr, steps),
    },
    "chain_rule": {
        mistake("outer-derivative-at-x", N_(
            "You evaluated f′ at x: the outer derivative is taken at the inner value, "
            "f′(g(x))·g′(x).")): lambda ref, f_prime, g, g_prime, x: f_prime(x) * g_prime(x),
        mistake("missing-inner-derivative", N_(
            "The inner derivative is missing: multiply f′(g(x)) by g′(x).")):
            lambda ref, f_prime, g, g_prime, x: f_prime(g(x)),
        mistake("inner-function-not-derivative", N_(
            "You multiplied by g(x), the inner function itself: the chain rule multiplies by its "
            "derivative g′(x).")): lambda ref, f_prime, g, g_prime, x: f_prime(g(x)) * g(x),
    },
    "accumulate_gradients": {
        mistake("equal-batch-weights", N_(
            "You averaged the batch gradients with equal weights. Each is a mean over its own "
            "batch, so a batch of 4 examples must count 4 times as much as a batch of 1: weight "
            "each by len(X) and divide by the total number of examples.")): _equal_weights,
        mistake("summed-batches", N_(
            "You added up the batch gradients: the result is the mean over all examples, "
            "Σ len(X_b)·g_b / Σ len(X_b).")): _summed,
        mistake("weighted-not-divided", N_(
            "You weighted each batch by its size but did not divide by the total number of "
            "examples Σ len(X_b).")): _weighted_not_divided,
    },
}


# ---------------------------------------------------------------- public cases

CUBIC = fn("cubic", -0.5)  # f′ is small near x = 0.7 while f″ is not: a forward difference shows
PUBLIC_GRADIENT = [{"f": CUBIC, "x": X1}, {"f": fn("cubic", 2.0), "x": X2, "h": 1e-2}]
PUBLIC_SHAPES = [{"f": CUBIC, "x": np.array(0.7)}, {"f": fn("cubic", 1.5), "x": X3, "h": 1e-4}]
PUBLIC_ERROR = [
    {"a": np.array([1.0, -2.0, 3.0, 0.0]), "b": np.array([1.1, -2.0, 2.5, 0.0])},
    {"a": np.zeros((2, 2)), "b": np.zeros((2, 2))},
    {"a": 3.0, "b": 2.9},
    {"a": np.array([1e-9, 0.5]), "b": np.array([-1e-9, 0.5]), "eps": 1e-6},
]
TEXTBOOK = [{"grad_fn": fn("quadratic_grad", 1.0, 0.0), "w0": 0.5, "lr": 0.01, "steps": 1000}]
PUBLIC_DESCENT = [{"grad_fn": fn("quadratic_grad", np.array([[1.0, 0.5, 2.0], [0.25, 3.0, 1.5]]),
                                 np.array([[1.0, -1.0, 0.0], [2.0, 0.5, -0.5]])),
                   "w0": X2, "lr": 0.1, "steps": 6}]
PUBLIC_CHAIN = [
    {"f_prime": fn("elementwise", "sin", 1.0, 1), "g": fn("elementwise", "exp", 0.5, 0),
     "g_prime": fn("elementwise", "exp", 0.5, 1), "x": X1},
    {"f_prime": fn("elementwise", "cube", 1.0, 1), "g": fn("elementwise", "tanh", 2.0, 0),
     "g_prime": fn("elementwise", "tanh", 2.0, 1), "x": X2},
]
PUBLIC_ACCUMULATE = [
    {"grad_fn": fn("least_squares_grad"), "w": np.array([0.5, -1.0, 2.0]),
     "batches": micro_batches(np.random.default_rng(1), (1, 3, 4))},
    {"grad_fn": fn("least_squares_grad"), "w": np.array([1.0, 0.0]),
     "batches": micro_batches(np.random.default_rng(2), (5, 2), d=2)},
]


def central(cases, title: str) -> CentralDifference:
    return CentralDifference(1, cases, mistakes=MISTAKES["numerical_gradient"], title=title)


EXERCISE = Exercise(
    id="calculus",
    title=N_("Derivatives, gradient descent and the chain rule"),
    parts=[
        Part("numerical_gradient", [
            central(PUBLIC_GRADIENT, N_("equals the central difference "
                                        "(f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h (public inputs)")),
            central(PUBLIC_SHAPES, N_("works for x of any shape (a 0-d array, a 3-d array)")),
            central(gradient_cases, N_("equals the central difference (hidden random inputs)")),
            Unmodified(1, PUBLIC_GRADIENT)]),
        Part("relative_error", compared(MISTAKES, "relative_error", PUBLIC_ERROR, error_cases)),
        Part("gradient_descent", [
            Matches(1, TEXTBOOK, mistakes=MISTAKES["gradient_descent"],
                    title=N_("reproduces the textbook run: L = w², w0 = 0.5, lr = 0.01, "
                             "1000 steps")),
            *compared(MISTAKES, "gradient_descent", PUBLIC_DESCENT, descent_cases),
            Unmodified(1, PUBLIC_DESCENT)]),
        Part("chain_rule", [
            *compared(MISTAKES, "chain_rule", PUBLIC_CHAIN, chain_cases),
            Gradient(1, PUBLIC_CHAIN, forward=composed, of="f(g(x))", wrt={None: "x"},
                     elementwise=True)]),
        Part("accumulate_gradients", [
            *compared(MISTAKES, "accumulate_gradients", PUBLIC_ACCUMULATE, accumulate_cases),
            Gradient(1, PUBLIC_ACCUMULATE, forward=pooled_loss,
                     of=N_("the loss over all examples"),
                     wrt={None: "w"})]),
    ],
)
