"""Chapter 3: the gradient of softmax cross-entropy is (softmax − onehot) / N.

Two examples with three classes. The loss is written as plainly as possible
(no stabilisation: these logits are small), differentiated by central
differences, and compared with the closed form derived in the chapter.
"""

import math

import numpy as np

from autograder.numerics.gradcheck import numerical_gradient, relative_error

# --8<-- [start:example]
logits = np.array([[2.0, 1.0, 0.1],
                   [0.5, 2.5, -1.0]])     # (N, C) = (2, 3)
labels = np.array([0, 2])                 # the correct class of each row


def plain_loss(z):
    """−(1/N) Σ_i log p[i, y_i], one row at a time, from the definition."""
    total = 0.0
    for i, row in enumerate(z):
        exps = [math.exp(v) for v in row]
        total -= math.log(exps[labels[i]] / sum(exps))
    return total / len(z)


probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
onehot = np.eye(logits.shape[1])[labels]
closed_form = (probs - onehot) / len(logits)
numeric = numerical_gradient(plain_loss, logits)
print(np.round(closed_form, 4))
print("relative error:", relative_error(closed_form, numeric))
# --8<-- [end:example]


def check():
    assert relative_error(closed_form, numeric) < 1e-8
    # every row of the gradient sums to zero: raising all logits of a row
    # by the same amount changes nothing
    assert np.allclose(closed_form.sum(axis=1), 0.0)
    # the numbers quoted in the chapter
    assert np.allclose(np.round(probs, 3), [[0.659, 0.242, 0.099], [0.116, 0.858, 0.026]])
    assert np.allclose(np.round(closed_form, 4),
                       [[-0.1705, 0.1212, 0.0493], [0.0581, 0.4290, -0.4870]])
    assert round(plain_loss(logits), 4) == 2.0351


if __name__ == "__main__":
    print("probs:\n", np.round(probs, 3))
    print("loss:", round(plain_loss(logits), 4))
    check()
    print("ok")
