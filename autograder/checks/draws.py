"""Checks of weight initializers ``init(fan_in, fan_out, rng)``: the statistics of the
draws, and the draws themselves; :func:`initializer` gives the four checks of one."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.checks.base import SingleCall, call_args
from autograder.checks.feedback import explain
from autograder.checks.values import Matches
from autograder.checks.wrappers import Rewired
from autograder.numerics.compare import compare_arrays
from autograder.sandbox.child import callables
from autograder.spec import Check

STD_TOL = 0.05  # relative error allowed on the measured std of drawn weights


class Spread(SingleCall):
    """Drawn weights have the shape ``(fan_in, fan_out)``, mean ≈ 0 and the right std.

    ``std(fan_in, fan_out)`` is the standard deviation asked for, ``formula`` how
    it is written; ``wrong_stds`` maps a message to the std a typical mistake
    gives.  Weights that never go beyond √3·std look uniform, not normal.
    """

    def __init__(self, points, cases, *, std: Callable, formula: str,
                 wrong_stds: dict[str, Callable]) -> None:
        super().__init__(points, cases, title=f"draws weights with mean ≈ 0 and std {formula}"
                         + (" (public inputs)" if not callable(cases) else " (hidden inputs)"))
        self.std, self.formula, self.wrong_stds = std, formula, wrong_stds

    def judge(self, call, inputs, key):
        w = call(self.fn, call_args(inputs)).value
        shape = (inputs["fan_in"], inputs["fan_out"])
        if not isinstance(w, np.ndarray) or w.shape != shape:
            return explain(inputs, compare_arrays(w, np.zeros(shape)), None)
        want, sd, mean = self.std(*shape), float(np.std(w)), float(np.mean(w))
        on = f"On fan_in = {shape[0]}, fan_out = {shape[1]}, your {w.size} weights have "
        if not np.isfinite(w).all():
            return f"{on}inf or NaN among them."
        if abs(mean) > 5 * want / np.sqrt(w.size):
            return f"{on}mean {mean:.4g}; weights drawn around 0 have a mean close to 0."
        if abs(sd / want - 1) > STD_TOL:
            named = [m for m, wrong in self.wrong_stds.items()
                     if abs(sd / wrong(*shape) - 1) <= STD_TOL]
            return "\n".join([f"{on}std {sd:.4g}, but {self.formula} = {want:.4g}.", *named[:1]])
        if np.max(np.abs(w)) < np.sqrt(3) * sd * 1.001:
            return (f"{on}the right std but none beyond √3·std: they look uniformly "
                    "distributed. Draw them from a normal distribution, rng.normal.")
        return None


class SameDraws(Matches):
    """The weights are exactly the reference's: drawn from the generator given, in one call."""

    def judge(self, call, inputs, key):
        message = super().judge(call, inputs, key)
        if not message or any(named in message for named in self.mistakes):
            return message
        return (f"{message}\nSame seed, same weights: draw them with one call "
                "rng.normal(0.0, std, size=(fan_in, fan_out)) on the generator `rng` you were "
                "given — not np.random.*, not a new np.random.default_rng.")


def seeded(check: Check) -> Rewired:
    """``check`` with the input ``seed`` given as ``rng = np.random.default_rng(seed)``,
    made on each side of the boundary."""
    return Rewired(check, sent=lambda args: [*args[:2], callables.ref("generator", args[2])],
                   used=lambda ref, args: [*args[:2], callables.make("generator", args[2])],
                   title=f"{check.title}, with rng = np.random.default_rng(seed)")


def drawn(std: Callable) -> Callable:
    """The weights a mistake with standard deviation ``std(fan_in, fan_out)`` draws."""
    return lambda ref, fan_in, fan_out, seed: np.random.default_rng(seed).normal(
        0.0, std(fan_in, fan_out), size=(fan_in, fan_out))


def transposed_draws(std: Callable) -> Callable:
    return lambda ref, fan_in, fan_out, seed: np.random.default_rng(seed).normal(
        0.0, std(fan_in, fan_out), size=(fan_out, fan_in)).T


TRANSPOSED = ("These are the right draws in the wrong order: draw with size=(fan_in, fan_out), "
              "not (fan_out, fan_in) transposed.")


def draw_mistakes(std: Callable, wrong_stds: dict[str, Callable]) -> dict[str, Callable]:
    return {TRANSPOSED: transposed_draws(std),
            **{message: drawn(wrong) for message, wrong in wrong_stds.items()}}


PUBLIC_SPREAD = [{"fan_in": 300, "fan_out": 100, "seed": 1},
                 {"fan_in": 64, "fan_out": 256, "seed": 2}]


PUBLIC_DRAWS = [{"fan_in": 6, "fan_out": 3, "seed": 3}, {"fan_in": 2, "fan_out": 7, "seed": 4}]


def spread_cases(rng):
    """Fans that differ by a factor of 2 to 4 either way, with at least 4000 weights."""
    cases = []
    for wider_out in (True, False):
        small = int(rng.integers(40, 100))
        large = small * int(rng.integers(2, 5))
        fans = (small, large) if wider_out else (large, small)
        cases.append({"fan_in": fans[0], "fan_out": fans[1], "seed": int(rng.integers(2**31))})
    return cases


def draw_cases(rng):
    return [{"fan_in": int(rng.integers(2, 9)), "fan_out": int(rng.integers(2, 9)),
             "seed": int(rng.integers(2**31))} for _ in range(3)]


def initializer(std: Callable, formula: str, wrong_stds: dict[str, Callable]) -> list[Check]:
    """The four checks of an initializer: its statistics and its draws, public and hidden."""
    mistakes = draw_mistakes(std, wrong_stds)
    draws = "draws from the generator it is given (same seed, same weights)"
    return [seeded(Spread(1, cases, std=std, formula=formula, wrong_stds=wrong_stds))
            for cases in (PUBLIC_SPREAD, spread_cases)] + \
           [seeded(SameDraws(1, cases, mistakes=mistakes, title=f"{draws} ({which})"))
            for cases, which in ((PUBLIC_DRAWS, "public inputs"), (draw_cases, "hidden inputs"))]
