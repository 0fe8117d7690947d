"""Chapter 3: sanity checks before training — the initial loss, symmetry breaking,
overfitting five examples, and the size of an update against the size of the weights.

A two-layer ReLU network (10 inputs, 32 hidden units, C = 10 classes) on 200 random
examples. With small random weights the first loss is close to ln C, the loss of a
uniform guess. With every weight at zero, all hidden units compute the same thing, get
the same gradient, and stay the same: the first layer never moves, and only the biases
of the last layer learn (the class frequencies). On five examples a correct network
drives the loss to almost zero, and the zero-initialised one cannot. Finally the ratio
‖lr·dW‖ / ‖W‖ of a He-initialised network, for learning rates a decade apart.
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


def train(params, steps=200, lr=0.5, data=(x, y)):
    """Plain gradient descent on mlp_loss; returns the params and the loss at each step."""
    history = []
    while len(history) < steps:
        loss, grads = backprop.mlp_loss(*data, params, "relu")
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

# --8<-- [start:overfit]
five = (x[:5], y[:5])
_, history_five = train(small, steps=300, data=five)
_, history_five_zeros = train(zeros, steps=300, data=five)
print(f"five examples, small random init: {history_five[0]:.4f} -> {history_five[-1]:.4f}")
print(f"five examples, all-zero init:     {history_five_zeros[0]:.4f}"
      f" -> {history_five_zeros[-1]:.4f} (ln 5 = {math.log(5):.4f})")
# --8<-- [end:overfit]

# --8<-- [start:ratio]
he = {"W1": rng.normal(size=(D, H)) * math.sqrt(2 / D), "b1": np.zeros(H),
      "W2": rng.normal(size=(H, C)) * math.sqrt(2 / H), "b2": np.zeros(C)}


def update_ratios(lr, steps=200):
    """‖lr·dW‖ / ‖W‖ at every step (the larger of W1's and W2's), and the losses."""
    params, ratios, losses = dict(he), [], []
    while len(ratios) < steps:
        loss, grads = backprop.mlp_loss(x, y, params, "relu")
        losses.append(loss)
        ratios.append(max(np.linalg.norm(lr * grads[k]) / np.linalg.norm(params[k])
                          for k in ("W1", "W2")))
        params = {k: params[k] - lr * grads[k] for k in params}
    return ratios, losses


print("     lr   ratio at step 0   median ratio   loss at step 199   steps up")
runs = {lr: update_ratios(lr) for lr in (0.001, 0.01, 0.1, 1.0, 10.0)}
for lr, (ratios, losses) in runs.items():
    ups = int(np.sum(np.diff(losses) > 0))   # steps after which the loss went up
    print(f"{lr:7g}   {ratios[0]:15.1e}   {np.median(ratios):12.1e}   {losses[-1]:16.3f}"
          f"   {ups:8d}")
# --8<-- [end:ratio]


def check():
    """The initial loss is ln C to 1 %; zero weights never leave zero and stop at the
    label entropy, while small random weights go well below it."""
    assert abs(first_loss - math.log(C)) < 0.01 * math.log(C)
    assert np.all(trained_zeros["W1"] == 0) and np.all(trained_zeros["W2"] == 0)
    assert abs(history_zeros[-1] - floor) < 1e-3
    assert history_small[-1] < floor - 0.3
    # five examples: memorised by the random init, not by the zero init (stuck at ln 5,
    # the entropy of five distinct labels)
    assert len(set(y[:5].tolist())) == 5
    assert history_five[-1] < 0.002 and history_five_zeros[-1] > math.log(5)
    # the ratio table of the page
    # (lr = 10 is chaotic: its later numbers differ between BLAS kernels, so the page
    # quotes only its first ratio and that its loss goes up at many steps)
    quoted = {0.001: ("2.2e-04", "2.0e-04", "3.048"), 0.01: ("2.2e-03", "1.1e-03", "2.339"),
              0.1: ("2.2e-02", "2.6e-03", "1.672"), 1.0: ("2.2e-01", "4.7e-02", "0.487")}
    for lr, (first, median, last) in quoted.items():
        ratios, losses = runs[lr]
        assert f"{ratios[0]:.1e}" == first and f"{np.median(ratios):.1e}" == median, lr
        assert abs(losses[-1] - float(last)) < 2e-3, lr
    assert all(np.all(np.diff(runs[lr][1]) < 0) for lr in (0.001, 0.01, 0.1))
    assert f"{runs[0.001][1][0]:.2f}" == "3.28"
    ratios, losses = runs[10.0]
    assert f"{ratios[0]:.1e}" == "2.2e+00" and np.median(ratios) > 0.05
    assert np.sum(np.diff(losses) > 0) > 20 and losses[-1] > runs[1.0][1][-1]


if __name__ == "__main__":
    check()
