"""Chapter 4: the identity path of a residual block keeps the gradient alive.

For one input vector, the Jacobian of the branch F(h) = relu(h W1 + b1) W2 + b2 is
∂F/∂h = W1 diag(relu'(z)) W2 (indexed [input, output]), and a residual block
h + F(h) adds the identity to it. Thirty blocks whose branches start small are
stacked once without and once with the skip connection, and the norm of the
gradient reaching each depth is recorded.
"""

import numpy as np

# --8<-- [start:residual]
width, depth = 32, 30
rng = np.random.default_rng(0)
scale = 0.5 / np.sqrt(width)                    # small branches
blocks = [(rng.normal(size=(width, width)) * scale, np.zeros(width),
           rng.normal(size=(width, width)) * scale, np.zeros(width))
          for _block in range(depth)]


def branch_jacobian(h, W1, b1, W2):
    """∂F/∂h; rows: the branch's input, columns: its output."""
    active = (h @ W1 + b1 > 0).astype(float)
    return W1 @ np.diag(active) @ W2


def gradient_norms(skip):
    h = rng.normal(size=width)
    jacobians = []
    for W1, b1, W2, b2 in blocks:
        J = branch_jacobian(h, W1, b1, W2) + (np.eye(width) if skip else 0.0)
        jacobians.append(J)
        branch = np.maximum(h @ W1 + b1, 0.0) @ W2 + b2
        h = h + branch if skip else branch
    g = np.ones(width) / np.sqrt(width)     # ∂L/∂h at the top, norm 1
    norms = [1.0]
    for J in reversed(jacobians):           # g_in = (∂out/∂in) g_out
        g = J @ g
        norms.append(float(np.linalg.norm(g)))
    return norms[::-1]


plain, residual = gradient_norms(skip=False), gradient_norms(skip=True)
print(f"plain stack:    ‖g‖ at the input = {plain[0]:.1e}")
print(f"residual stack: ‖g‖ at the input = {residual[0]:.2f}")
# --8<-- [end:residual]


def check():
    assert f"{plain[0]:.1e}" == "3.3e-24" and round(residual[0], 2) == 1.41
    assert round(plain[0] ** (-1 / depth)) == 6          # each plain block shrinks it ~6×
    assert 0.5 < residual[0] < 5.0     # the identity path carries it through 30 blocks
    # the block's Jacobian is I + ∂F/∂h: compare with central differences
    W1, b1, W2, b2 = blocks[0]
    h = np.random.default_rng(5).normal(size=width)

    def block(v):
        return v + np.maximum(v @ W1 + b1, 0.0) @ W2 + b2

    step = 1e-6
    numeric = np.stack([(block(h + e) - block(h - e)) / (2 * step)
                        for e in np.eye(width) * step])        # rows: input index
    assert np.allclose(numeric, np.eye(width) + branch_jacobian(h, W1, b1, W2), atol=1e-7)


if __name__ == "__main__":
    check()
    print("ok")
