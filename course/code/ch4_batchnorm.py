"""Chapter 4: what the batch-norm gradient looks like, checked on one feature.

One column of N = 5 values is normalised in training mode. The gradient of
L = Σ dout ⊙ out with respect to the column, measured by central differences,
is compared with the "naive" gradient that treats the mean and the variance as
constants (wrong), and its two defining properties are checked: it sums to zero
and it is (almost) orthogonal to x̂.
"""

import numpy as np

from autograder.numerics.gradcheck import numerical_gradient, relative_error

# --8<-- [start:setup]
x = np.array([2.0, -1.0, 0.5, 3.0, 0.0])      # one feature, N = 5
dout = np.array([0.3, -1.2, 0.8, 0.1, 0.4])   # its upstream gradient
gamma, beta, eps = 1.5, -0.2, 1e-5


def normalise(col):
    centred = col - col.mean()
    return centred / np.sqrt(np.mean(centred**2) + eps)


def surrogate(col):
    """A scalar whose gradient w.r.t. the output is dout."""
    return float(np.sum(dout * (gamma * normalise(col) + beta)))


x_hat = normalise(x)
sigma = np.sqrt(np.var(x) + eps)
numeric = numerical_gradient(surrogate, x)
naive = gamma / sigma * dout     # forgets that μ and σ depend on x
print("numeric dx:", np.round(numeric, 4))
print("naive dx:  ", np.round(naive, 4))
print("relative error of the naive dx:", relative_error(naive, numeric))
print("Σ dx =", numeric.sum(), "  Σ dx·x̂ =", numeric @ x_hat)
# --8<-- [end:setup]


def check():
    # the numbers quoted in the chapter
    assert np.allclose(np.round(numeric, 4), [-0.0113, -0.9256, 0.8443, -0.4417, 0.5344])
    assert np.allclose(np.round(naive, 4), [0.3151, -1.2602, 0.8402, 0.1050, 0.4201])
    assert f"{numeric @ x_hat:.1e}" == "7.7e-06"
    # the naive gradient is far off
    assert abs(relative_error(naive, numeric) - 1.0) < 1e-9   # opposite signs in entry 0
    # shifting x by a constant does not change the output: the gradient sums to zero
    assert abs(numeric.sum()) < 1e-10
    # scaling x about its mean changes the output only through eps: nearly orthogonal to x̂
    assert abs(numeric @ x_hat) < 1e-4 * np.abs(numeric).max()
    # the compact formula of the chapter, written as a projection for a single feature:
    # dx = γ/σ · (dout − mean(dout) − x̂·mean(dout·x̂))
    projected = gamma / sigma * (dout - dout.mean() - x_hat * np.mean(dout * x_hat))
    assert relative_error(projected, numeric) < 1e-7
    # x̂ has mean 0 and mean square var/(var + eps), just below 1
    assert abs(x_hat.mean()) < 1e-12 and 0.99999 < np.mean(x_hat**2) < 1.0
    # dgamma and dbeta: the sums Σ dout·x̂ and Σ dout, also checked numerically
    dgamma = numerical_gradient(lambda g: float(np.sum(dout * (g * x_hat + beta))), gamma)
    assert relative_error(dgamma, np.sum(dout * x_hat)) < 1e-8


if __name__ == "__main__":
    check()
    print("ok")
