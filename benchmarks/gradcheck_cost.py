"""Cost of gradient-checking one backward function as its parameter count grows.

    python benchmarks/gradcheck_cost.py [--max-exponent 6]

The function is a dense layer's objective ``f(W) = sum(dout * tanh(x @ W))``
with ``W`` of ``P`` parameters.  Per-element central differences need two
evaluations per parameter; the engine's check needs a constant number: a few
sampled elements (two evaluations each) and a few random directions (two
each), whatever ``P`` is.  Per-element runs above 10^4 parameters are timed on
the first 10^4 elements and extrapolated (marked ~).
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np

from autograder.checks.gradients import sampled_gradient
from autograder.numerics.gradcheck import H, directional_derivative, random_directions

DIRECTIONS = 3
TIMED_ELEMENTS = 10_000


def layer(p: int, rng: np.random.Generator):
    d = int(np.sqrt(p))
    m = p // d
    x, dout = rng.standard_normal((8, d)), rng.standard_normal((8, m))
    calls = [0]

    def f(W):
        calls[0] += 1
        return float(np.sum(dout * np.tanh(x @ W)))

    return f, rng.standard_normal((d, m)) / np.sqrt(d), calls


def per_element(f, W) -> tuple[float, bool]:
    """Seconds for the full central-difference gradient (extrapolated when large)."""
    flat = W.reshape(-1)
    n = min(flat.size, TIMED_ELEMENTS)
    start = time.perf_counter()
    for i in range(n):
        old = flat[i]
        flat[i] = old + H
        plus = f(W)
        flat[i] = old - H
        minus = f(W)
        flat[i] = old
        _ = (plus - minus) / (2 * H)
    seconds = time.perf_counter() - start
    return seconds * flat.size / n, n < flat.size


def engine(f, W, rng) -> float:
    start = time.perf_counter()
    sampled_gradient(lambda W: f(W), {"W": W})
    for v in random_directions({"W": W.shape}, DIRECTIONS, rng):
        directional_derivative(lambda W: f(W), {"W": W}, v)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-exponent", type=int, default=6)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, "
          f"NumPy {np.__version__}")
    print(f"{'parameters':>12} {'per-element evals':>18} {'seconds':>10} "
          f"{'engine evals':>13} {'seconds':>9}")
    rng = np.random.default_rng(0)
    for exponent in range(2, args.max_exponent + 1):
        f, W, calls = layer(10**exponent, rng)
        full_seconds, estimated = per_element(f, W)
        calls[0] = 0
        engine_seconds = engine(f, W, rng)
        full = ("~" if estimated else "") + f"{full_seconds:.3f}"
        print(f"{W.size:>12,} {2 * W.size:>18,} {full:>10} {calls[0]:>13} "
              f"{engine_seconds:>9.4f}")


if __name__ == "__main__":
    main()
