"""Chapter 2: the three losses of the course on small numbers, each gradient held against
central differences of the loss itself."""

import numpy as np


def numeric_grad(loss, p, h=1e-6):
    """Central differences of a scalar loss with respect to every entry of p."""
    g = np.zeros_like(p)
    for idx in np.ndindex(p.shape):
        step = np.zeros_like(p)
        step[idx] = h
        g[idx] = (loss(p + step) - loss(p - step)) / (2 * h)
    return g


# --8<-- [start:mse]
pred = np.array([[0.5, 1.0],
                 [2.0, -1.0]])
target = np.array([[0.0, 1.0],
                   [1.0, 1.0]])


def mse(p):
    return np.mean((p - target) ** 2)          # mean of all 4, no 1/2


grad = 2 * (pred - target) / pred.size         # 2·(pred − target)/4
print(mse(pred))                               # (0.25 + 0 + 1 + 4)/4 = 1.3125
print(grad)                                    # [[0.25 0.] [0.5 -1.]]
print(np.allclose(grad, numeric_grad(mse, pred)))   # True
# --8<-- [end:mse]


# --8<-- [start:bce]
z = np.array([2.0, -1.0, 0.0])                 # logits
t = np.array([1.0, 0.0, 1.0])                  # targets


def bce(z):
    p = 1 / (1 + np.exp(-z))                   # fine for these small logits
    return np.mean(-(t * np.log(p) + (1 - t) * np.log(1 - p)))


stable_terms = np.maximum(z, 0) - z * t + np.log(1 + np.exp(-np.abs(z)))
print(stable_terms, bce(z))                    # [0.1269 0.3133 0.6931] 0.37778
dz = (1 / (1 + np.exp(-z)) - t) / z.size       # (σ(z) − t)/3
print(dz)                                      # [-0.0397  0.0896 -0.1667]
print(np.allclose(dz, numeric_grad(bce, z)))   # True
# --8<-- [end:bce]


# --8<-- [start:softmax_ce]
logits = np.array([[2.0, 1.0, 0.1],
                   [0.5, 2.5, -1.0]])          # N = 2 examples, C = 3 classes
labels = np.array([0, 2])


def cross_entropy(s):
    # fine for small logits only: see "Numerical stability"
    probs = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    return -np.mean(np.log(probs[np.arange(len(labels)), labels]))


probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
onehot = np.eye(3)[labels]
print(np.round(probs, 4))     # [[0.659 0.2424 0.0986] [0.1161 0.858 0.0259]]
print(cross_entropy(logits))         # (0.4170 + 3.6532)/2 = 2.0351
dlogits = (probs - onehot) / len(labels)
print(np.round(dlogits, 4))   # [[-0.1705 0.1212 0.0493] [0.0581 0.429 -0.487]]
print(np.allclose(dlogits, numeric_grad(cross_entropy, logits)))   # True
# --8<-- [end:softmax_ce]


# --8<-- [start:pairing]
# One confidently wrong prediction: logit z = −10, target 1.
zw, tw = -10.0, 1.0
s = 1 / (1 + np.exp(-zw))
print("cross-entropy dL/dz:", s - tw)          # -0.99995: a strong push
print("MSE on σ(z)   dL/dz:", 2 * (s - tw) * s * (1 - s))   # -9.1e-05
# --8<-- [end:pairing]


def check():
    """The page's numbers, and every gradient against central differences."""
    assert mse(pred) == 1.3125
    assert np.array_equal(grad, [[0.25, 0.0], [0.5, -1.0]])
    assert np.allclose(grad, numeric_grad(mse, pred), atol=1e-9)
    assert np.allclose(stable_terms, [0.126928, 0.313262, 0.693147], atol=1e-6)
    assert abs(bce(z) - np.mean(stable_terms)) < 1e-15 and abs(bce(z) - 0.377779) < 1e-6
    assert np.allclose(dz, [-0.039734, 0.089647, -0.166667], atol=1e-6)
    assert np.allclose(dz, numeric_grad(bce, z), atol=1e-9)
    assert np.allclose(probs, [[0.659001, 0.242433, 0.098566],
                               [0.116115, 0.857977, 0.025909]], atol=1e-6)
    assert abs(cross_entropy(logits) - 2.035104) < 1e-6
    assert np.allclose(dlogits, numeric_grad(cross_entropy, logits), atol=1e-9)
    assert np.allclose(dlogits.sum(axis=1), 0.0)         # each row of the gradient sums to 0
    assert abs((s - tw) - (-0.99995)) < 1e-5
    assert abs(2 * (s - tw) * s * (1 - s) - (-9.08e-5)) < 0.01e-5


if __name__ == "__main__":
    check()
