"""Checks of weight initializers ``init(fan_in, fan_out, rng)``: the statistics of the
draws, and the draws themselves; :func:`initializer` gives the four checks of one."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from autograder.checks.base import SingleCall, call_args
from autograder.checks.feedback import explain
from autograder.checks.values import Matches
from autograder.checks.wrappers import Rewired
from autograder.i18n import N_, _
from autograder.numerics.compare import compare_arrays
from autograder.numerics.diagnose import diagnosis
from autograder.sandbox.child import callables
from autograder.spec import Check, Named, Text, mistake, mistake_id, shown

STD_TOL = 0.05  # relative error allowed on the measured std of drawn weights


class Spread(SingleCall):
    """Drawn weights have the shape ``(fan_in, fan_out)``, mean ≈ 0 and the right std.

    ``std(fan_in, fan_out)`` is the standard deviation asked for, ``formula`` how
    it is written; ``wrong_stds`` maps a message (marked with ``N_``) to the std a typical
    mistake gives.  Weights that never go beyond √3·std look uniform, not normal.
    """

    def __init__(self, points, cases, *, std: Callable, formula: str,
                 wrong_stds: dict[str, Callable]) -> None:
        super().__init__(points, cases, title=Text(
            N_("draws weights with mean ≈ 0 and std {formula} (public inputs)")
            if not callable(cases) else
            N_("draws weights with mean ≈ 0 and std {formula} (hidden inputs)"), formula=formula))
        self.std, self.formula, self.wrong_stds = std, formula, wrong_stds

    def judge(self, call, inputs, key):
        w = call(self.fn, call_args(inputs)).value
        shape = (inputs["fan_in"], inputs["fan_out"])
        if not isinstance(w, np.ndarray) or w.shape != shape:
            return explain(inputs, compare_arrays(w, np.zeros(shape)), None)
        want, sd, mean = self.std(*shape), float(np.std(w)), float(np.mean(w))
        case = dict(fan_in=shape[0], fan_out=shape[1], count=w.size)
        if not np.isfinite(w).all():
            return _("On fan_in = {fan_in}, fan_out = {fan_out}, your {count} weights have inf "
                     "or NaN among them.").format(**case)
        if abs(mean) > 5 * want / np.sqrt(w.size):
            return diagnosis("nonzero-mean", _(
                "On fan_in = {fan_in}, fan_out = {fan_out}, your {count} weights have mean "
                "{mean}; weights drawn around 0 have a mean close to 0.").format(
                mean=f"{mean:.4g}", **case))
        if abs(sd / want - 1) > STD_TOL:
            return self._wrong_std(sd, want, case)
        if np.max(np.abs(w)) < np.sqrt(3) * sd * 1.001:
            return diagnosis("uniform-draws", _(
                "On fan_in = {fan_in}, fan_out = {fan_out}, your {count} weights have the "
                "right std but none beyond √3·std: they look uniformly distributed. Draw "
                "them from a normal distribution, rng.normal.").format(**case))
        return None

    def _wrong_std(self, sd: float, want: float, case: dict) -> Named:
        """Feedback on weights of std ``sd`` instead of ``want``, naming the mistake whose
        std that is, if any."""
        shape = (case["fan_in"], case["fan_out"])
        named = [m for m, wrong in self.wrong_stds.items()
                 if abs(sd / wrong(*shape) - 1) <= STD_TOL][:1]
        said = _("On fan_in = {fan_in}, fan_out = {fan_out}, your {count} weights have std "
                 "{std}, but {formula} = {want}.").format(
            std=f"{sd:.4g}", formula=self.formula, want=f"{want:.4g}", **case)
        return Named("\n".join([said, *map(shown, named)]),
                     [mistake_id(m) for m in named] or ["wrong-std"])


class SameDraws(Matches):
    """The weights are exactly the reference's: drawn from the generator given, in one call."""

    def judge(self, call, inputs, key):
        message = super().judge(call, inputs, key)
        if not message or any(shown(named) in message for named in self.mistakes):
            return message
        advice = _("Same seed, same weights: draw them with one call rng.normal(0.0, std, "
                   "size=(fan_in, fan_out)) on the generator `rng` you were given — not "
                   "np.random.*, not a new np.random.default_rng.")
        return Named(f"{message}\n{advice}", [*getattr(message, "mistakes", ()), "not-from-rng"])


def seeded(check: Check) -> Rewired:
    """``check`` with the input ``seed`` given as ``rng = np.random.default_rng(seed)``,
    made on each side of the boundary."""
    return Rewired(check, sent=lambda args: [*args[:2], callables.ref("generator", args[2])],
                   used=lambda ref, args: [*args[:2], callables.make("generator", args[2])],
                   title=check.titled(N_("{title}, with rng = np.random.default_rng(seed)")))


def drawn(std: Callable) -> Callable:
    """The weights a mistake with standard deviation ``std(fan_in, fan_out)`` draws."""
    return lambda ref, fan_in, fan_out, seed: np.random.default_rng(seed).normal(
        0.0, std(fan_in, fan_out), size=(fan_in, fan_out))


def transposed_draws(std: Callable) -> Callable:
    return lambda ref, fan_in, fan_out, seed: np.random.default_rng(seed).normal(
        0.0, std(fan_in, fan_out), size=(fan_out, fan_in)).T


TRANSPOSED = mistake("transposed-draws", N_(
    "These are the right draws in the wrong order: draw with size=(fan_in, fan_out), not "
    "(fan_out, fan_in) transposed."))


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
             "seed": int(rng.integers(2**31))} for _i in range(3)]


def initializer(std: Callable, formula: str, wrong_stds: dict[str, Callable]) -> list[Check]:
    """The four checks of an initializer: its statistics and its draws, public and hidden."""
    mistakes = draw_mistakes(std, wrong_stds)
    return [seeded(Spread(1, cases, std=std, formula=formula, wrong_stds=wrong_stds))
            for cases in (PUBLIC_SPREAD, spread_cases)] + \
           [seeded(SameDraws(1, cases, mistakes=mistakes, title=title)) for cases, title in (
               (PUBLIC_DRAWS, N_("draws from the generator it is given (same seed, same "
                                 "weights) (public inputs)")),
               (draw_cases, N_("draws from the generator it is given (same seed, same "
                               "weights) (hidden inputs)")))]
