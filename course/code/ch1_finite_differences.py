"""Chapter 1: forward vs central differences, relative error, and a directional check.

The exact derivative of exp is exp, so the error of each estimate can be measured exactly.
"""

import math

import numpy as np

# --8<-- [start:table]
x0 = 1.0
exact = math.exp(x0)                       # d/dx e^x = e^x


def rel(a, b):
    """Relative error of two nonzero floats."""
    return abs(a - b) / (abs(a) + abs(b))


print("    h     forward   central")
for k in range(1, 13):
    h = 10.0**-k
    forward = (math.exp(x0 + h) - math.exp(x0)) / h
    central = (math.exp(x0 + h) - math.exp(x0 - h)) / (2 * h)
    print(f"1e-{k:02d}  {rel(forward, exact):.1e}   {rel(central, exact):.1e}")
# --8<-- [end:table]


def errors(k):
    """(forward, central) relative errors at h = 10**-k."""
    h = 10.0**-k
    forward = (math.exp(x0 + h) - math.exp(x0)) / h
    central = (math.exp(x0 + h) - math.exp(x0 - h)) / (2 * h)
    return rel(forward, exact), rel(central, exact)


# --8<-- [start:diagnose]
g = 0.8                                    # a correct derivative
print("sign flipped:     ", rel(-g, g))    # 1.0
N = 32
print("forgot the 1/N:   ", rel(N * g, g), (N - 1) / (N + 1))   # 0.939 twice
x32, h32 = np.float32(x0), np.float32(1e-5)    # the same, in float32
c32 = (np.exp(x32 + h32) - np.exp(x32 - h32)) / (2 * h32)
print("float32, h=1e-5:  ", rel(float(c32), exact))   # ~2e-3 instead of ~1e-11
# --8<-- [end:diagnose]


# --8<-- [start:directional]
rng = np.random.default_rng(0)
w = rng.normal(size=1000)                  # a thousand parameters


def f(w):
    return np.sum(w * np.sin(w))           # a scalar function of all of them


right = np.sin(w) + w * np.cos(w)          # its gradient, by the product rule
wrong = w * np.cos(w)                      # a typical bug: one term forgotten

h = 1e-5
for _ in range(3):                         # three random unit directions v
    v = rng.normal(size=w.shape)
    v /= np.linalg.norm(v)
    numeric = (f(w + h * v) - f(w - h * v)) / (2 * h)    # two evaluations of f
    print(f"right: {rel(right @ v, numeric):.1e}",
          f"  wrong: {rel(wrong @ v, numeric):.1e}")
# --8<-- [end:directional]


def check():
    """The claims of the page: O(h) vs O(h²), the best h of each, the diagnoses."""
    for k in (1, 2, 3, 4):                 # truncation error dominates: slopes 1 and 2
        fwd, cen = errors(k)
        assert abs(fwd / 10.0**-k - 0.25) < 0.02           # forward ≈ h/4
        assert abs(cen / 10.0**-(2 * k) - 1 / 12) < 0.01   # central ≈ h²/12
    best_forward = min(range(1, 13), key=lambda k: errors(k)[0])
    best_central = min(range(1, 13), key=lambda k: errors(k)[1])
    assert best_forward == 8 and best_central in (5, 7)
    assert errors(5)[1] < 1e-10 < errors(5)[0]
    assert errors(12)[0] > errors(8)[0] * 100 and errors(12)[1] > errors(5)[1] * 100
    assert rel(-g, g) == 1.0
    assert abs(rel(N * g, g) - 31 / 33) < 1e-15
    assert c32.dtype == np.float32 and 1e-3 < rel(float(c32), exact) < 1e-2
    r = np.random.default_rng(1)
    for _ in range(5):
        v = r.normal(size=w.shape)
        numeric = (f(w + h * v) - f(w - h * v)) / (2 * h)
        assert rel(right @ v, numeric) < 1e-7 and rel(wrong @ v, numeric) > 1e-2


if __name__ == "__main__":
    check()
