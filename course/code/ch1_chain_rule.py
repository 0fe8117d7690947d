"""Chapter 1: partial derivatives and the chain rule, by hand, checked by central differences.

Three small examples: a function of two variables, the composition sin(x²), and a neuron
x, w, b → z = w·x + b → a = tanh(z) → L = (a − t)² differentiated node by node.
"""

import math


def central(f, x, h=1e-5):
    """Central-difference estimate of f'(x) for a function of one float."""
    return (f(x + h) - f(x - h)) / (2 * h)


# --8<-- [start:partial]
# f(x, y) = x²·y + 3y: hold one variable fixed and differentiate in the other.
def f(x, y):
    return x**2 * y + 3 * y


x0, y0 = 1.0, 2.0
df_dx = 2 * x0 * y0          # ∂f/∂x = 2xy      -> 4
df_dy = x0**2 + 3            # ∂f/∂y = x² + 3   -> 4
print("by hand:  ", df_dx, df_dy)
print("numerical:", central(lambda x: f(x, y0), x0),
      central(lambda y: f(x0, y), y0))
# --8<-- [end:partial]


# --8<-- [start:composite]
# y = sin(u) with u = x²: dy/dx = cos(u) · 2x
x = 1.5
u = x**2                      # inner value, 2.25
dy_du = math.cos(u)           # outer derivative, evaluated at the inner value
du_dx = 2 * x                 # inner derivative
print(f"chain rule: {dy_du:.6f} * {du_dx} = {dy_du * du_dx:.6f}")
print(f"numerical:  {central(lambda s: math.sin(s**2), x):.6f}")
# --8<-- [end:composite]


# --8<-- [start:neuron]
x, w, b, t = 2.0, 0.5, -0.5, 1.0

# forward pass: keep every intermediate value
z = w * x + b                 # 0.5
a = math.tanh(z)              # 0.462117
L = (a - t) ** 2              # 0.289318

# backward pass: one local derivative per node, multiplied from the loss down
dL_da = 2 * (a - t)           # -1.075766
da_dz = 1 - a**2              #  0.786448
dL_dz = dL_da * da_dz         # -0.846033
dL_dw = dL_dz * x             # dz/dw = x  -> -1.692067
dL_db = dL_dz * 1.0           # dz/db = 1  -> -0.846033


def loss(w, b, x=x, t=t):
    return (math.tanh(w * x + b) - t) ** 2


print(f"z={z:.6f} a={a:.6f} L={L:.6f}")
print(f"dL/dw={dL_dw:.6f} (numerical {central(lambda v: loss(v, b), w):.6f})")
print(f"dL/db={dL_db:.6f} (numerical {central(lambda v: loss(w, v), b):.6f})")
# --8<-- [end:neuron]


# --8<-- [start:paths]
# s reaches L along two paths: u = s², v = 3s, L = u·v
# (so L = 3s³ and dL/ds = 9s²)
s = 2.0
u, v = s**2, 3 * s
dL_du, dL_dv = v, u           # local derivatives of the product
dL_ds = dL_du * (2 * s) + dL_dv * 3   # add the contributions of both paths
print(dL_ds, 9 * s**2)        # 36.0 36.0
# --8<-- [end:paths]


def check():
    """Every hand-computed derivative the page quotes matches a central difference."""
    assert (df_dx, df_dy) == (4.0, 4.0)
    assert abs(central(lambda s: f(s, 2.0), 1.0) - 4.0) < 1e-8
    assert abs(central(lambda s: f(1.0, s), 2.0) - 4.0) < 1e-8
    assert abs(math.cos(2.25) * 3.0 - (-1.884521)) < 1e-6
    assert abs(central(lambda s: math.sin(s**2), 1.5) - math.cos(2.25) * 3.0) < 1e-8
    assert abs(z - 0.5) < 1e-15
    for got, want in ((a, 0.462117), (L, 0.289318), (dL_da, -1.075766), (da_dz, 0.786448),
                      (dL_dz, -0.846033), (dL_dw, -1.692067), (dL_db, -0.846033)):
        assert abs(got - want) < 1e-6, (got, want)
    assert abs(central(lambda v: loss(v, -0.5), 0.5) - dL_dw) < 1e-8
    assert abs(central(lambda v: loss(0.5, v), -0.5) - dL_db) < 1e-8
    assert dL_ds == 36.0 == 9 * 2.0**2


if __name__ == "__main__":
    check()
