"""Chapter 2: activation values and derivatives at a few points, saturation, dead ReLUs, PReLU.

The formulas here are the textbook ones, fine for the moderate inputs used on the page; the
exercise asks for versions that also survive |x| = 1000 (see the stability section).
"""

import numpy as np


def central(f, x, h=1e-5):
    """Elementwise central-difference derivative of an elementwise f."""
    return (f(x + h) - f(x - h)) / (2 * h)


# --8<-- [start:table]
xs = np.array([-2.0, -0.5, 0.5, 2.0])    # away from the kink of the ReLU family
alpha = 0.01

# name: (function, its derivative as the formula on the page gives it)
activations = {
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)),
                lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2),
    "tanh": (np.tanh, lambda x: 1 / np.cosh(x) ** 2),
    "relu": (lambda x: np.maximum(x, 0.0), lambda x: np.heaviside(x, 0.0)),
    "leaky": (lambda x: np.maximum(x, 0.0) + alpha * np.minimum(x, 0.0),
              lambda x: np.heaviside(x, 0.0) + alpha * np.heaviside(-x, 0.0))}
for name, (act, formula) in activations.items():
    gap = np.max(np.abs(formula(xs) - central(act, xs)))
    print(f"{name:8s} value {np.round(act(xs), 4)}")
    print(f"{'':8s} slope {np.round(formula(xs), 4)}  vs numerical: {gap:.0e}")
# --8<-- [end:table]


# --8<-- [start:saturation]
def sigmoid_slope(x):
    s = 1 / (1 + np.exp(-x))
    return s * (1 - s)


for x in (0.0, 2.0, 5.0, 10.0):
    print(f"x={x:4}:  sigmoid' = {sigmoid_slope(x):.2e}",
          f"  tanh' = {1 - np.tanh(x) ** 2:.2e}")
print("ten sigmoid layers, best case:", 0.25**10)       # 9.5e-07
# --8<-- [end:saturation]


# --8<-- [start:dead]
rng = np.random.default_rng(0)
x = rng.normal(size=(100, 2))                 # a batch of 100 inputs
w, b = np.array([0.3, -0.2]), -5.0            # a neuron pushed far negative
z = x @ w + b                                 # (100,)
print("largest pre-activation:", z.max())     # < 0 for every example

# with the loss L = mean(act(z)), dL/dw = mean(act'(z)·x) over the batch
relu_dw = np.mean(np.heaviside(z, 0.0)[:, None] * x, axis=0)
leaky_dw = np.mean(np.where(z > 0, 1.0, alpha)[:, None] * x, axis=0)
print("ReLU  dL/dw:", relu_dw)                # [0. 0.]: no update, ever
print("leaky dL/dw:", leaky_dw)               # small but nonzero
# --8<-- [end:dead]


# --8<-- [start:prelu]
xp = np.array([[-2.0, 1.0],
               [3.0, -0.5]])          # (N, D) = (2, 2)
a = np.array([0.1, 0.2])              # one slope per feature, shape (D,)
dout = np.array([[1.0, 1.0],
                 [1.0, 2.0]])         # upstream gradient dL/dout


def loss_of_alpha(a):
    # PReLU (alpha broadcast over the rows), then a loss with dL/dout = dout
    out = np.maximum(xp, 0.0) + a * np.minimum(xp, 0.0)
    return np.sum(dout * out)


numeric = [(loss_of_alpha(a + h) - loss_of_alpha(a - h)) / 2e-5
           for h in (np.array([1e-5, 0.0]), np.array([0.0, 1e-5]))]
print("dL/dalpha by finite differences:", np.round(numeric, 6))   # [-2. -1.]
# --8<-- [end:prelu]


def check():
    """Derivative formulas match finite differences; the page's numbers hold."""
    for act, formula in activations.values():
        assert np.max(np.abs(formula(xs) - central(act, xs))) < 1e-9
    grid = np.linspace(-8, 8, 1601)
    assert abs(np.max(sigmoid_slope(grid)) - 0.25) < 1e-15          # σ' ≤ 1/4, at 0
    assert abs(np.max(1 - np.tanh(grid) ** 2) - 1.0) < 1e-15        # tanh' ≤ 1, at 0
    assert np.all(sigmoid_slope(grid) <= 0.25)
    assert abs(sigmoid_slope(10.0) - 4.54e-5) < 0.01e-5
    assert abs(sigmoid_slope(2.0) - 0.105) < 0.001
    assert abs(0.25**10 - 9.54e-7) < 0.01e-7
    # tanh(x) = 2σ(2x) − 1
    assert np.allclose(np.tanh(grid), 2 / (1 + np.exp(-2 * grid)) - 1)
    assert z.max() < 0 and np.all(relu_dw == 0) and np.all(leaky_dw != 0)
    assert np.allclose(numeric, [-2.0, -1.0], atol=1e-8)


if __name__ == "__main__":
    check()
