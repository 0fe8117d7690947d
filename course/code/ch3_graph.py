"""Chapter 3: the chain rule on a small computational graph with a fan-out.

L = (tanh(w1·x) + w2·x − t)². The input x feeds two nodes, so its gradient is the
sum of two paths. Every node multiplies the gradient arriving from above
(upstream) by its own local derivative and passes the product down.
"""

import math

from autograder.numerics.gradcheck import numerical_gradient, relative_error

# --8<-- [start:graph]
x, w1, w2, t = 2.0, 0.5, -0.25, 1.0

# forward: compute and keep every intermediate value
u = w1 * x                  # multiply         1.0
a = math.tanh(u)            # activation       0.761594
v = w2 * x                  # multiply        -0.5   (x is used a second time)
s = a + v                   # add              0.261594
L = (s - t) ** 2            # squared error    0.545243

# backward: upstream gradient × local derivative, from L down
dL_ds = 2 * (s - t)         # the seed of the backward pass
dL_da = dL_ds * 1.0         # add: both inputs get the upstream gradient
dL_dv = dL_ds * 1.0
dL_du = dL_da * (1 - a**2)  # tanh'(u) = 1 − tanh(u)², from the cached a
dL_dw1 = dL_du * x          # a multiply node hands each input the *other* input
dL_dw2 = dL_dv * x
dL_dx = dL_du * w1 + dL_dv * w2   # x reaches L along two paths: add them
# --8<-- [end:graph]


def loss_of(x_, w1_, w2_):
    return (math.tanh(w1_ * x_) + w2_ * x_ - t) ** 2


def check():
    quoted = {"u": (u, 1.0), "a": (a, 0.761594), "v": (v, -0.5), "s": (s, 0.261594),
              "L": (L, 0.545243), "dL_ds": (dL_ds, -1.476812), "dL_du": (dL_du, -0.620223),
              "dL_dw1": (dL_dw1, -1.240446), "dL_dw2": (dL_dw2, -2.953623),
              "dL_dx": (dL_dx, 0.059091)}
    for name, (value, on_page) in quoted.items():
        assert round(value, 6) == on_page, name
    # the two paths into x, separately
    assert round(dL_du * w1, 6) == -0.310112 and round(dL_dv * w2, 6) == 0.369203
    for analytic, numeric in [
        (dL_dw1, numerical_gradient(lambda p: loss_of(x, float(p), w2), w1)),
        (dL_dw2, numerical_gradient(lambda p: loss_of(x, w1, float(p)), w2)),
        (dL_dx, numerical_gradient(lambda p: loss_of(float(p), w1, w2), x)),
    ]:
        assert relative_error(analytic, numeric) < 1e-8
    # forgetting one of the two paths into x is badly wrong
    assert relative_error(dL_du * w1, dL_dx) > 0.9


if __name__ == "__main__":
    for name in ["u", "a", "v", "s", "L", "dL_ds", "dL_du", "dL_dw1", "dL_dw2", "dL_dx"]:
        print(f"{name:7s} {globals()[name]: .6f}")
    check()
    print("ok")
