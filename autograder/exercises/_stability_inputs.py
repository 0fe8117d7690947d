"""The inputs of chapter 4's batch-norm and residual-block checks (see
:mod:`autograder.exercises.stability`, which declares the checks): the public cases and the
seeded generators of the hidden ones.  Inputs only: what answers them stays in the
exercise's module."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.exercises.backprop import KINK_GAP, fixed, normal


def bn_cases(rng):
    """Four batches: x ``(N, D)`` around 1 at scale 0.5 to 3, gamma and beta ``(D,)``."""
    cases = []
    for _i in range(4):
        n, d = int(rng.integers(3, 9)), int(rng.integers(2, 6))
        cases.append({"x": normal(rng, n, d) * float(rng.choice([0.5, 1.0, 3.0])) + 1.0,
                      "gamma": normal(rng, d), "beta": normal(rng, d)})
    return cases


def bn_backward_cases(rng):
    return [{"dout": normal(rng, *c["x"].shape), **c} for c in bn_cases(rng)]


PUBLIC_BN = [{"x": fixed((4, 3), 0.0, 2.0), "gamma": np.array([1.0, 0.5, -2.0]),
              "beta": np.array([0.0, 1.0, -0.5])},
             {"x": np.array([[1.0, 3.0], [2.0, 3.0], [4.0, 3.0]]),  # a constant feature
              "gamma": np.array([2.0, 1.5]), "beta": np.array([0.1, -0.2]), "eps": 1e-3}]
PUBLIC_BN_BACKWARD = [{"dout": fixed((4, 3), 5.0), **PUBLIC_BN[0]},
                      {"dout": fixed((5, 2), 6.0), "x": fixed((5, 2), 7.0, 3.0),
                       "gamma": np.array([0.7, -1.2]), "beta": np.array([0.3, 0.0])}]


def residual_case(draw: Callable, n: int, d: int, h: int) -> dict:
    """A block's inputs from ``draw(shape)``: x ``(n, d)``, W1 ``(d, h)``, b1 ``(h,)``,
    W2 ``(h, d)``, b2 ``(d,)``."""
    return {"x": draw((n, d)), "W1": draw((d, h)) / np.sqrt(d), "b1": 0.5 * draw((h,)),
            "W2": draw((h, d)) / np.sqrt(h), "b2": 0.5 * draw((d,))}


def residual_cases(rng):
    """Blocks of sizes N, D, H all different, clear of the ReLU kink."""
    cases = []
    while len(cases) < 4:
        n, d, h = (int(s) for s in rng.choice(np.arange(2, 8), 3, replace=False))
        case = residual_case(lambda shape: normal(rng, *shape), n, d, h)
        if np.min(np.abs(case["x"] @ case["W1"] + case["b1"])) > KINK_GAP:
            cases.append(case)
    return cases


def residual_backward_cases(rng):
    return [{"dout": normal(rng, *c["x"].shape), **c} for c in residual_cases(rng)]


def public_residual(n, d, h, phase):
    count = iter(range(10))
    return residual_case(lambda shape: fixed(shape, phase + next(count)), n, d, h)


PUBLIC_RESIDUAL = [public_residual(3, 4, 5, 0.0), public_residual(5, 2, 3, 1.5)]
PUBLIC_RESIDUAL_BACKWARD = [{"dout": fixed(c["x"].shape, 8.0 + i), **c}
                            for i, c in enumerate(PUBLIC_RESIDUAL)]
