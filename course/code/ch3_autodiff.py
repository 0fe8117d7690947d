"""Chapter 3: automatic differentiation — a reverse-mode engine for scalars.

Each operation on a ``Scalar`` returns a new ``Scalar`` that remembers its inputs (its
parents) and, computed right away in the forward pass, the local derivative of its value
with respect to each of them. ``backward()`` sorts the graph topologically and walks it from
the output down, adding upstream gradient × local derivative into every parent. ``check()``
tests the engine against the hand-derived gradients of chapters 1 and 3 and against the
course's reference solutions.
"""

import math

import numpy as np

from autograder.grading.reference import load_reference


# --8<-- [start:engine]
class Scalar:
    """One number of a computation: its value, its gradient, and how it was made."""

    __slots__ = ("data", "grad", "parents", "local")

    def __init__(self, data, parents=(), local=()):
        self.data = float(data)
        self.grad = 0.0         # ∂output/∂self, filled in by backward()
        self.parents = parents  # the Scalars this one was computed from
        self.local = local      # ∂self/∂parent for each parent, known in the forward pass

    def __add__(self, other):
        other = lift(other)
        return Scalar(self.data + other.data, (self, other), (1.0, 1.0))

    def __sub__(self, other):
        other = lift(other)
        return Scalar(self.data - other.data, (self, other), (1.0, -1.0))

    def __mul__(self, other):
        other = lift(other)
        return Scalar(self.data * other.data, (self, other), (other.data, self.data))

    def __truediv__(self, other):
        other = lift(other)
        q = self.data / other.data
        return Scalar(q, (self, other), (1.0 / other.data, -q / other.data))

    def __pow__(self, k):  # k is a plain number
        return Scalar(self.data**k, (self,), (k * self.data ** (k - 1),))

    def __neg__(self):
        return Scalar(-self.data, (self,), (-1.0,))

    __radd__, __rmul__ = __add__, __mul__

    def __rsub__(self, other):
        return lift(other) - self

    def __rtruediv__(self, other):
        return lift(other) / self

    def exp(self):
        e = math.exp(self.data)
        return Scalar(e, (self,), (e,))

    def log(self):
        return Scalar(math.log(self.data), (self,), (1.0 / self.data,))

    def tanh(self):
        th = math.tanh(self.data)
        return Scalar(th, (self,), (1.0 - th * th,))

    def relu(self):
        return Scalar(max(self.data, 0.0), (self,), (float(self.data > 0),))
    # --8<-- [end:engine]

    # --8<-- [start:backward]
    def graph(self):
        """Every node this one depends on, each listed after all of its parents."""
        order, seen, todo = [], set(), [(self, False)]
        while todo:
            node, parents_placed = todo.pop()
            if parents_placed:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                todo.append((node, True))  # popped again once its parents are placed
                todo.extend((parent, False) for parent in node.parents)
        return order

    def backward(self):
        self.grad = 1.0  # the seed: ∂output/∂output
        for node in reversed(self.graph()):
            for parent, d in zip(node.parents, node.local):
                parent.grad += node.grad * d  # accumulate: a parent may have many children


def lift(value):
    """A plain number enters the graph as a constant leaf."""
    return value if isinstance(value, Scalar) else Scalar(value)
# --8<-- [end:backward]


# --8<-- [start:fanout]
x, w1, w2 = Scalar(2.0), Scalar(0.5), Scalar(-0.25)
L = ((w1 * x).tanh() + w2 * x - 1.0) ** 2     # x feeds two multiplies
L.backward()
# L = 0.545243, dL/dw1 = -1.240446, dL/dw2 = -2.953623, dL/dx = 0.059091
# --8<-- [end:fanout]


# --8<-- [start:overwrite]
def backward_overwriting(out):
    """The bug: = instead of +=, so a parent keeps only the last child's message."""
    out.grad = 1.0
    for node in reversed(out.graph()):
        for parent, d in zip(node.parents, node.local):
            parent.grad = node.grad * d
# --8<-- [end:overwrite]


def to_scalars(array):
    return np.vectorize(Scalar, otypes=[object])(array)


def grads_of(array):
    return np.vectorize(lambda s: s.grad, otypes=[float])(array)


# --8<-- [start:mlp]
def mlp_loss_scalars(x, y, params):
    """Two-layer ReLU network + mean softmax cross-entropy; numpy's @ sees only + and ×."""
    h = np.vectorize(Scalar.relu, otypes=[object])(x @ params["W1"] + params["b1"])
    scores = h @ params["W2"] + params["b2"]
    per_row = [sum(s.exp() for s in row).log() - row[label] for row, label in zip(scores, y)]
    return sum(per_row) / len(per_row)
# --8<-- [end:mlp]


def check():
    assert [round(v, 6) for v in (L.data, w1.grad, w2.grad, x.grad)] == \
        [0.545243, -1.240446, -2.953623, 0.059091]
    order = L.graph()  # topological: every parent before its child
    assert all(order.index(p) < order.index(n) for n in order for p in n.parents)
    # overwriting keeps one of the two paths into x: the one walked last
    xo, a1, a2 = Scalar(2.0), Scalar(0.5), Scalar(-0.25)
    backward_overwriting(((a1 * xo).tanh() + a2 * xo - 1.0) ** 2)
    assert round(xo.grad, 6) == 0.369203 and round(x.grad - xo.grad, 6) == -0.310112
    assert round(a1.grad, 6) == -1.240446 and round(a2.grad, 6) == -2.953623
    # Chapter 1's neuron
    w, b = Scalar(0.5), Scalar(-0.5)
    (((w * 2.0 + b).tanh() - 1.0) ** 2).backward()
    assert round(w.grad, 6) == -1.692067 and round(b.grad, 6) == -0.846033
    # the activations' derivatives of the reference solutions
    act = load_reference("activations")
    for z in (-3.0, -0.4, 0.3, 2.5):
        for build, want in ((lambda s: 1 / (1 + (-s).exp()), act.sigmoid_grad),
                            (Scalar.tanh, act.tanh_grad), (Scalar.relu, act.relu_grad)):
            s = Scalar(z)
            build(s).backward()
            assert abs(s.grad - float(want(z))) < 1e-12, (z, want.__name__)
    # softmax cross-entropy of Chapter 3's two examples, against the reference
    logits, labels = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]]), np.array([0, 2])
    z = to_scalars(logits)
    ce = sum(sum(s.exp() for s in row).log() - row[k] for row, k in zip(z, labels)) / 2
    ce.backward()
    ref_loss, ref_dlogits = load_reference("losses").softmax_cross_entropy(logits, labels)
    assert abs(ce.data - ref_loss) < 1e-12 and round(ce.data, 4) == 2.0351
    assert np.allclose(grads_of(z), ref_dlogits, rtol=1e-10, atol=1e-13)
    # a tiny MLP, every parameter, against the reference mlp_loss
    rng = np.random.default_rng(3)
    params = {"W1": rng.normal(size=(3, 5)), "b1": rng.normal(size=5),
              "W2": rng.normal(size=(5, 4)), "b2": rng.normal(size=4)}
    xs, ys = rng.normal(size=(6, 3)), rng.integers(0, 4, size=6)
    leaves = {k: to_scalars(v) for k, v in params.items()}
    loss = mlp_loss_scalars(xs, ys, leaves)
    loss.backward()
    ref_loss, ref_grads = load_reference("backprop").mlp_loss(xs, ys, params, "relu")
    assert abs(loss.data - ref_loss) < 1e-12
    for k in params:
        assert np.allclose(grads_of(leaves[k]), ref_grads[k], rtol=1e-9, atol=1e-12), k


if __name__ == "__main__":
    print(f"L = {L.data:.6f}  dL/dw1 = {w1.grad:.6f}  dL/dw2 = {w2.grad:.6f}  "
          f"dL/dx = {x.grad:.6f}")
    check()
    print("ok")
