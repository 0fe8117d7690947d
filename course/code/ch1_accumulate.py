"""Chapter 1: the gradient of a mean, micro-batches of unequal size, and the integral view.

Model: one weight w, per-example loss ℓ = (w·x − y)², batch loss = mean of ℓ, so the batch
gradient is the mean of the per-example gradients 2·(w·x − y)·x.
"""

import numpy as np

# --8<-- [start:batches]
X = np.arange(1.0, 11.0)          # ten examples x = 1, 2, ..., 10
Y = 3.0 * X                       # targets y = 3x
w = 2.0                           # so every residual w·x − y equals −x


def batch_mean_grad(w, x, y):
    """d/dw of mean((w·x − y)²) over one batch: the mean of 2·(w·x − y)·x."""
    return np.mean(2.0 * (w * x - y) * x)


full = batch_mean_grad(w, X, Y)                    # all ten at once: −77
splits = [slice(0, 4), slice(4, 8), slice(8, 10)]  # micro-batches of 4, 4 and 2
sizes = np.array([len(X[s]) for s in splits])
means = np.array([batch_mean_grad(w, X[s], Y[s]) for s in splits])

print("micro-batch means:", means)            # [ -15.  -87. -181.]
print("full batch:       ", full)             # -77.0
print("plain average:    ", means.mean())     # -94.333...: wrong
print("size-weighted:    ", np.average(means, weights=sizes))   # -77.0
# --8<-- [end:batches]


# --8<-- [start:integral]
# ℓ(w; x) = (w − x)² with x uniform on [0, 1]:
#   L(w) = ∫₀¹ (w − x)² dx = w² − w + 1/3,   L'(w) = 2w − 1 = 3 at w = 2.
rng = np.random.default_rng(0)
w = 2.0
for n in (10, 1000, 100_000):
    xs = rng.uniform(0.0, 1.0, n)
    estimate = np.mean(2.0 * (w - xs))     # mean of the per-sample derivatives
    print(f"n={n:>7}: gradient estimate {estimate:.4f}  (exact 3)")
midpoints = (np.arange(1000) + 0.5) / 1000   # a Riemann sum instead
print("midpoint rule:", np.mean(2.0 * (w - midpoints)))
# --8<-- [end:integral]


def check():
    """The numbers the page quotes."""
    assert full == -77.0
    assert np.array_equal(sizes, [4, 4, 2])
    assert np.array_equal(means, [-15.0, -87.0, -181.0])
    assert abs(means.mean() - (-283.0 / 3.0)) < 1e-12
    assert abs(np.average(means, weights=sizes) - full) < 1e-12
    # summing the per-example gradients and dividing once by N gives the same answer
    per_example_sums = [np.sum(2.0 * (2.0 * X[s] - Y[s]) * X[s]) for s in splits]
    assert sum(per_example_sums) / len(X) == full
    # the integral view: sample means of the derivative approach L'(2) = 3
    r = np.random.default_rng(0)
    errs = [abs(np.mean(2.0 * (2.0 - r.uniform(0.0, 1.0, n))) - 3.0)
            for n in (10, 1000, 100_000)]
    assert errs[2] < 0.01 and errs[2] < errs[0]
    r = np.random.default_rng(0)                      # the three estimates the page quotes
    quoted = [round(float(np.mean(2.0 * (2.0 - r.uniform(0.0, 1.0, n)))), 3)
              for n in (10, 1000, 100_000)]
    assert quoted == [2.899, 2.969, 3.001], quoted
    assert abs(np.mean(2.0 * (2.0 - midpoints)) - 3.0) < 1e-12


if __name__ == "__main__":
    check()
