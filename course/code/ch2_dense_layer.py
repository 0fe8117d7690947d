"""Chapter 2: one dense layer with numbers, and why a nonlinearity is needed between layers."""

import numpy as np

# --8<-- [start:layer]
X = np.array([[1.0, 2.0, 0.0],      # N = 2 examples (rows) ...
              [0.0, -1.0, 3.0]])    # ... of D = 3 features (columns)
W = np.array([[0.5, -1.0],          # D = 3 rows, M = 2 columns:
              [0.25, 0.5],          # column m holds the weights of neuron m
              [-0.5, 1.0]])
b = np.array([0.1, -0.2])           # one bias per neuron, shape (M,)

# (2, 3) @ (3, 2) + (2,) -> (2, 2); b is added to every row
Z = X @ W + b
H = np.maximum(Z, 0.0)              # ReLU, elementwise
print(Z)                            # [[ 1.1  -0.2 ]   [-1.65  2.3 ]]
print(H)                            # [[ 1.1   0.  ]   [ 0.    2.3 ]]
# --8<-- [end:layer]


# --8<-- [start:loops]
# The same numbers from the definition Z[n, m] = Σ_d X[n, d]·W[d, m] + b[m]
N, D = X.shape
M = W.shape[1]
Z_loops = np.zeros((N, M))
for n in range(N):
    for m in range(M):
        Z_loops[n, m] = sum(X[n, d] * W[d, m] for d in range(D)) + b[m]
print(np.allclose(Z_loops, Z))      # True
# --8<-- [end:loops]


# --8<-- [start:collapse]
rng = np.random.default_rng(0)
W1, b1 = rng.normal(size=(3, 4)), rng.normal(size=4)
W2, b2 = rng.normal(size=(4, 2)), rng.normal(size=2)

two_linear = (X @ W1 + b1) @ W2 + b2
one_linear = X @ (W1 @ W2) + (b1 @ W2 + b2)     # a single (3, 2) layer
with_relu = np.maximum(X @ W1 + b1, 0.0) @ W2 + b2
print(np.allclose(two_linear, one_linear))      # True: stacking bought nothing
print(np.allclose(with_relu, one_linear))       # False: the ReLU counts
# --8<-- [end:collapse]


def check():
    """Shapes and numbers of the worked example; the collapse of linear layers."""
    assert X.shape == (2, 3) and W.shape == (3, 2) and b.shape == (2,) and Z.shape == (2, 2)
    assert np.allclose(Z, [[1.1, -0.2], [-1.65, 2.3]], rtol=0, atol=1e-12)
    assert np.allclose(H, [[1.1, 0.0], [0.0, 2.3]], rtol=0, atol=1e-12)
    assert np.allclose(Z_loops, Z)
    assert np.allclose(two_linear, one_linear)
    assert not np.allclose(with_relu, one_linear)
    assert W1.size + b1.size == 3 * 4 + 4 == 16


if __name__ == "__main__":
    check()
