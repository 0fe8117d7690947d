"""Chapter 3, by hand: a 2-2-2 ReLU network, one example, every number of one SGD step.

The forward pass, the softmax cross-entropy, the backward pass layer by layer and one
SGD step, written one array per line so that each line matches a row of the page's
tables. check() asserts the rounded numbers the page quotes, compares the gradients with
the reference ``mlp_loss`` of the backprop exercise and with central differences.
"""

import numpy as np

from autograder.grading.reference import load_reference
from autograder.numerics.gradcheck import numerical_gradient, relative_error

# --8<-- [start:data]
x = np.array([[1.0, 2.0]])          # one example with D = 2 inputs: shape (N, D) = (1, 2)
y = np.array([1])                   # its label: the second of the classes 0 and 1
W1 = np.array([[1.0, -1.0],
               [0.25, 0.5]])        # (D, H) = (2, 2): column j feeds hidden unit j
b1 = np.array([0.5, -0.5])          # (H,)
W2 = np.array([[0.5, -0.25],
               [-0.5, 0.75]])       # (H, C) = (2, 2): row j leaves hidden unit j
b2 = np.array([0.0, 0.5])           # (C,)
lr = 0.1                            # the learning rate of the SGD step
# --8<-- [end:data]

# --8<-- [start:forward]
N = x.shape[0]                                  # batch size, here 1
z1 = x @ W1 + b1                                # hidden pre-activations   (1, 2)
h = np.maximum(z1, 0.0)                         # ReLU                     (1, 2)
scores = h @ W2 + b2                            # class scores (logits)    (1, 2)
# --8<-- [end:forward]

# --8<-- [start:loss]
exp_scores = np.exp(scores)                     # scores this small need no max shift
probs = exp_scores / exp_scores.sum(axis=1, keepdims=True)
p_correct = probs[np.arange(N), y]              # probability of each example's label
loss = float(np.mean(-np.log(p_correct)))       # mean over the batch
# --8<-- [end:loss]

# --8<-- [start:backward]
onehot = np.eye(scores.shape[1])[y]             # (1, 2): a 1 in the label's column
dscores = (probs - onehot) / N                  # seed of the backward pass
dW2 = h.T @ dscores                             # (H, N) @ (N, C) -> (H, C)
db2 = dscores.sum(axis=0)                       # column sums of dscores
dh = dscores @ W2.T                             # (N, C) @ (C, H) -> (N, H)
relu_slope = (z1 > 0).astype(float)             # ReLU'(z1): 1 open, 0 shut
dz1 = dh * relu_slope                           # elementwise, not a matrix product
dW1 = x.T @ dz1                                 # (D, N) @ (N, H) -> (D, H)
db1 = dz1.sum(axis=0)
# --8<-- [end:backward]

# --8<-- [start:update]
W1_new = W1 - lr * dW1
b1_new = b1 - lr * db1
W2_new = W2 - lr * dW2
b2_new = b2 - lr * db2

# the same forward pass and loss again, with the new parameters
z1_new = x @ W1_new + b1_new
h_new = np.maximum(z1_new, 0.0)
scores_new = h_new @ W2_new + b2_new
exp_new = np.exp(scores_new)
probs_new = exp_new / exp_new.sum(axis=1, keepdims=True)
loss_new = float(np.mean(-np.log(probs_new[np.arange(N), y])))
# --8<-- [end:update]

PARAMS = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
HAND_GRADS = {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}
# first-order prediction of the loss decrease: lr · (sum of all squared gradient entries)
predicted_drop = lr * sum(float(np.sum(g * g)) for g in HAND_GRADS.values())


def loss_of(params, xs=x, ys=y):
    """The same network's loss as a function of its parameters (for central differences)."""
    hidden = np.maximum(xs @ params["W1"] + params["b1"], 0.0)
    logits = hidden @ params["W2"] + params["b2"]
    e = np.exp(logits)
    return float(np.mean(-np.log(e[np.arange(len(xs)), ys] / e.sum(axis=1))))


def same(value, quoted, decimals=4):
    """``value`` rounded to ``decimals`` equals the number the page quotes."""
    return np.allclose(np.round(np.asarray(value, dtype=float), decimals), quoted,
                       rtol=0.0, atol=10.0 ** -(decimals + 2))


def check():
    # (1) every number in the page's tables, as printed there (4 decimals)
    forward_table = [
        (z1, [[2, -0.5]]), (h, [[2, 0]]), (scores, [[1, 0]]),
        (exp_scores, [[2.7183, 1]]), (exp_scores.sum(), 3.7183),
        (probs, [[0.7311, 0.2689]]), (loss, 1.3133),
    ]
    backward_table = [
        (onehot, [[0, 1]]), (dscores, [[0.7311, -0.7311]]),
        (dW2, [[1.4621, -1.4621], [0, 0]]), (db2, [0.7311, -0.7311]),
        (dh, [[0.5483, -0.9138]]), (relu_slope, [[1, 0]]), (dz1, [[0.5483, 0]]),
        (dW1, [[0.5483, 0], [1.0966, 0]]), (db1, [0.5483, 0]),
    ]
    update_table = [
        (W1_new, [[0.9452, -1], [0.1403, 0.5]]), (b1_new, [0.4452, -0.5]),
        (W2_new, [[0.3538, -0.1038], [-0.5, 0.75]]), (b2_new, [-0.0731, 0.5731]),
        (z1_new, [[1.6710, -0.5]]), (h_new, [[1.6710, 0]]),
        (scores_new, [[0.5181, 0.3997]]), (exp_new, [[1.6788, 1.4913]]),
        (exp_new.sum(), 3.1701), (probs_new, [[0.5296, 0.4704]]), (loss_new, 0.7541),
        (loss - loss_new, 0.5592), (predicted_drop, 0.7148),
    ]
    for k, (value, quoted) in enumerate(forward_table + backward_table + update_table):
        assert same(value, quoted), (k, value, quoted)
    # the last digit of a product of rounded numbers may differ from the rounded product
    assert round(2 * 0.7311, 4) == 1.4622 and same(2 * probs[0, 0], 1.4621)
    # the second hidden unit is shut: gradient reaches it but does not pass the gate
    assert z1[0, 1] < 0 and dh[0, 1] != 0 and dz1[0, 1] == 0
    assert np.all(W1_new[:, 1] == W1[:, 1]) and b1_new[1] == b1[1]
    assert np.all(W2_new[1] == W2[1])       # h = 0 there: the row had no effect
    assert loss_new < loss                  # the step went downhill
    # both units stay on the same side of the kink after the step
    assert np.array_equal(z1_new > 0, z1 > 0)

    # (2) the hand computation against the course's reference solution
    backprop = load_reference("backprop")
    ref_loss, ref_grads = backprop.mlp_loss(x, y, PARAMS, "relu")
    assert relative_error(ref_loss, loss) < 1e-12
    assert set(ref_grads) == set(HAND_GRADS)
    for name, grad in HAND_GRADS.items():
        assert ref_grads[name].shape == grad.shape, name
        assert relative_error(grad, ref_grads[name]) < 1e-12, name
    new_params = {"W1": W1_new, "b1": b1_new, "W2": W2_new, "b2": b2_new}
    assert relative_error(backprop.mlp_loss(x, y, new_params, "relu")[0], loss_new) < 1e-12

    # (3) central differences: z1 = (2, -0.5) is far from the kink at 0
    for name, grad in HAND_GRADS.items():
        def f(value, name=name):
            return loss_of({**PARAMS, name: value})
        assert relative_error(grad, numerical_gradient(f, PARAMS[name])) < 1e-8, name

    # Check yourself 1: the label y = 0 instead of 1
    dscores_y0 = probs - np.eye(2)[[0]]
    assert same(dscores_y0, [[-0.2689, 0.2689]])
    assert same(loss_of(PARAMS, ys=np.array([0])), 0.3133)
    loss_y0, grads_y0 = backprop.mlp_loss(x, np.array([0]), PARAMS, "relu")
    assert relative_error(grads_y0["b2"], dscores_y0[0]) < 1e-12
    assert same(loss_y0, 0.3133) and same(grads_y0["W1"][:, 1], [0, 0])
    # Check yourself 2: the same example twice, N = 2
    x2, y2 = np.vstack([x, x]), np.concatenate([y, y])
    loss2, grads2 = backprop.mlp_loss(x2, y2, PARAMS, "relu")
    assert relative_error(loss2, loss) < 1e-12
    for name, grad in HAND_GRADS.items():
        assert relative_error(grads2[name], grad) < 1e-12, name
    assert same((probs - onehot) / 2, [[0.3655, -0.3655]])
    # numbers in the prose: ln 2, the probabilities in percent, the score gap, 12 entries
    assert same(np.log(2), 0.6931)
    assert same(probs[0], [0.73, 0.27], 2) and same(probs_new[0, 1], 0.47, 2)
    assert same(scores[0, 0] - scores[0, 1], 1)
    assert same(scores_new[0, 0] - scores_new[0, 1], 0.1184)
    assert sum(g.size for g in HAND_GRADS.values()) == 12
    # the first-order estimate is close to the actual drop for a smaller step
    small = {k: PARAMS[k] - 0.01 * g for k, g in HAND_GRADS.items()}
    ratio_small = (loss - loss_of(small)) / (predicted_drop / 10)
    assert abs(ratio_small - 1) < abs((loss - loss_new) / predicted_drop - 1)
    assert same(sum(float(np.sum(g * g)) for g in HAND_GRADS.values()), 7.148, 3)
    # y = 0: every gradient entry is smaller in size than with y = 1
    assert all(np.all(np.abs(grads_y0[k]) <= np.abs(g)) for k, g in HAND_GRADS.items())


def show(name, value):
    print(f"{name:12s}", np.round(np.asarray(value, dtype=float), 4) + 0.0)  # + 0.0: no -0


if __name__ == "__main__":
    for label, value in [("z1", z1), ("h", h), ("scores", scores), ("e^scores", exp_scores),
                         ("sum e^s", exp_scores.sum()), ("probs", probs), ("loss", loss),
                         ("onehot(y)", onehot), ("dscores", dscores), ("dW2", dW2), ("db2", db2),
                         ("dh", dh),
                         ("relu'(z1)", relu_slope), ("dz1", dz1), ("dW1", dW1), ("db1", db1),
                         ("W1 new", W1_new), ("b1 new", b1_new), ("W2 new", W2_new),
                         ("b2 new", b2_new), ("z1 new", z1_new), ("h new", h_new),
                         ("scores new", scores_new), ("e^s new", exp_new),
                         ("sum e^s new", exp_new.sum()), ("probs new", probs_new),
                         ("loss new", loss_new), ("drop", loss - loss_new),
                         ("lr*|g|^2", predicted_drop)]:
        show(label, value)
    check()
    print("ok")
