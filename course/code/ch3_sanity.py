"""Chapter 3: two sanity checks before training — the initial loss, and symmetry breaking.

A two-layer ReLU network (10 inputs, 32 hidden units, C = 10 classes) on 200 random
examples. With small random weights the first loss is close to ln C, the loss of a
uniform guess. With every weight at zero, all hidden units compute the same thing, get
the same gradient, and stay the same: the first layer never moves, and only the biases
of the last layer learn (the class frequencies).
"""

import math

import numpy as np

from autograder.grading.reference import load_reference

backprop = load_reference("backprop")

# --8<-- [start:setup]
rng = np.random.default_rng(0)
N, D, H, C = 200, 10, 32, 10
x = rng.normal(size=(N, D))
y = rng.integers(0, C, size=N)


def train(params, steps=200, lr=0.5):
    """Plain gradient descent on mlp_loss; returns the params and the loss at each step."""
    history = []
    while len(history) < steps:
        loss, grads = backprop.mlp_loss(x, y, params, "relu")
        history.append(loss)
        params = {k: params[k] - lr * grads[k] for k in params}
    return params, history


small = {"W1": 0.01 * rng.normal(size=(D, H)), "b1": np.zeros(H),
         "W2": 0.01 * rng.normal(size=(H, C)), "b2": np.zeros(C)}
zeros = {k: np.zeros_like(v) for k, v in small.items()}
# --8<-- [end:setup]

# --8<-- [start:initial]
first_loss = backprop.mlp_loss(x, y, small, "relu")[0]
print(f"first loss {first_loss:.4f}, ln C = {math.log(C):.4f}")
# --8<-- [end:initial]

# --8<-- [start:symmetry]
trained_small, history_small = train(small)
trained_zeros, history_zeros = train(zeros)
frequencies = np.bincount(y, minlength=C) / N
floor = -float(np.sum(frequencies * np.log(frequencies)))   # entropy of the labels
print(f"small random init: loss {history_small[0]:.4f} -> {history_small[-1]:.4f}")
print(f"all-zero init:     loss {history_zeros[0]:.4f} -> {history_zeros[-1]:.4f}"
      f" (label entropy {floor:.4f}); |W1| = {np.abs(trained_zeros['W1']).max():g}")
# --8<-- [end:symmetry]


def check():
    """The initial loss is ln C to 1 %; zero weights never leave zero and stop at the
    label entropy, while small random weights go well below it."""
    assert abs(first_loss - math.log(C)) < 0.01 * math.log(C)
    assert np.all(trained_zeros["W1"] == 0) and np.all(trained_zeros["W2"] == 0)
    assert abs(history_zeros[-1] - floor) < 1e-3
    assert history_small[-1] < floor - 0.3


if __name__ == "__main__":
    check()
