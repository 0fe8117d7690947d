"""Chapter 3: the dense layer's backward pass on a 2×3 example, three ways.

The layer is out = x @ W + b with N = 2 examples, D = 3 inputs and M = 2 outputs.
The gradients are written once as explicit sums over indices (straight from the
chain rule), once with einsum, and then checked against central differences.
"""

import numpy as np

from autograder.numerics.gradcheck import numerical_gradient, relative_error

# --8<-- [start:data]
x = np.array([[1.0, 2.0, 0.0],
              [0.0, -1.0, 3.0]])          # (N, D) = (2, 3), Chapter 2's example
W = np.array([[0.5, -1.0],
              [0.25, 0.5],
              [-0.5, 1.0]])               # (D, M) = (3, 2)
b = np.array([0.1, -0.2])                 # (M,)
dout = np.array([[1.0, -2.0],
                 [0.5, 1.0]])             # (N, M): ∂L/∂out, from above
# --8<-- [end:data]


# --8<-- [start:loops]
def gradients_by_loops(x, W, dout):
    N, D = x.shape
    M = W.shape[1]
    gx, gW, gb = np.zeros((N, D)), np.zeros((D, M)), np.zeros(M)
    for n in range(N):
        for m in range(M):
            # out[n, m] = Σ_d x[n, d] W[d, m] + b[m]
            for d in range(D):
                gx[n, d] += dout[n, m] * W[d, m]   # ∂out[n,m]/∂x[n,d] = W[d,m]
                gW[d, m] += dout[n, m] * x[n, d]   # ∂out[n,m]/∂W[d,m] = x[n,d]
            gb[m] += dout[n, m]                    # ∂out[n, m]/∂b[m] = 1
    return gx, gW, gb
# --8<-- [end:loops]


# --8<-- [start:einsum]
def gradients_by_einsum(x, W, dout):
    gx = np.einsum("nm,dm->nd", dout, W)   # sum over the output index m
    gW = np.einsum("nd,nm->dm", x, dout)   # sum over the batch index n
    gb = np.einsum("nm->m", dout)          # sum over the batch index n
    return gx, gW, gb
# --8<-- [end:einsum]


# --8<-- [start:check]
def surrogate_loss(x, W, b):
    """L = Σ dout ⊙ out: a scalar whose gradient w.r.t. out is dout."""
    return float(np.sum(dout * (x @ W + b)))


gx, gW, gb = gradients_by_loops(x, W, dout)
numeric = {
    "x": numerical_gradient(lambda v: surrogate_loss(v, W, b), x),
    "W": numerical_gradient(lambda v: surrogate_loss(x, v, b), W),
    "b": numerical_gradient(lambda v: surrogate_loss(x, W, v), b),
}
for name, analytic in [("x", gx), ("W", gW), ("b", gb)]:
    print(name, analytic.shape, relative_error(analytic, numeric[name]))
# --8<-- [end:check]


def check():
    by_einsum = gradients_by_einsum(x, W, dout)
    for mine, theirs in zip((gx, gW, gb), by_einsum):
        assert mine.shape == theirs.shape
        assert np.allclose(mine, theirs)
    # the shapes: a gradient has the shape of what it is the gradient of
    assert gx.shape == x.shape == (2, 3)
    assert gW.shape == W.shape == (3, 2)
    assert gb.shape == b.shape == (2,)
    # the numbers printed in the chapter
    assert np.allclose(x @ W + b, [[1.1, -0.2], [-1.65, 2.3]])
    assert np.allclose(gx, [[2.5, -0.75, -2.5], [-0.75, 0.625, 0.75]])
    assert np.allclose(gW, [[1.0, -2.0], [1.5, -5.0], [1.5, 3.0]])
    assert np.allclose(gb, [1.5, -1.0])
    # the matrix forms derived in the chapter give the same numbers
    assert np.allclose(gx, dout @ W.T) and np.allclose(gW, x.T @ dout)
    for name, analytic in [("x", gx), ("W", gW), ("b", gb)]:
        assert relative_error(analytic, numeric[name]) < 1e-10


if __name__ == "__main__":
    print("out =\n", x @ W + b)
    print("dx =\n", gx, "\ndW =\n", gW, "\ndb =", gb)
    check()
    print("ok")
