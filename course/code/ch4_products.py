"""Chapter 4: a gradient through depth is a product, and products shrink or blow up.

First the scalar arithmetic, then the product-of-Jacobians experiment: for one
input, build the Jacobian of every layer of a deep network explicitly,
J_l = ∂h_l/∂h_{l−1} = diag(φ'(z_l)) W_lᵀ, multiply them from the top down and
record the norm of the gradient that reaches each layer.
"""

import importlib.util
from pathlib import Path

import numpy as np

# --8<-- [start:scalars]
print(f"sigmoid, best case, 10 layers: 0.25**10 = {0.25**10:.2e}")
print(f"factor 1.5,  10 layers:        1.5**10  = {1.5**10:.1f}")
print(f"factor 1.5,  30 layers:        1.5**30  = {1.5**30:.2e}")
print(f"factor 0.9 vs 1.1, 50 layers:  {0.9**50:.4f} vs {1.1**50:.1f}")
# --8<-- [end:scalars]

# --8<-- [start:jacobians]
activations = {
    "sigmoid": (lambda z: 1 / (1 + np.exp(-z)), lambda s: s * (1 - s)),
    "tanh":    (np.tanh,                        lambda s: 1 - s**2),
    "relu":    (lambda z: np.maximum(z, 0),     lambda s: (s > 0) * 1.0),
}


def gradient_norms(name, weight_var, depth=20, width=100, seed=0):
    """‖∂L/∂h_l‖ for l = 0..depth, ∂L/∂h_depth a random unit vector."""
    phi, dphi_from_output = activations[name]
    rng = np.random.default_rng(seed=seed)
    h = rng.normal(size=width)                      # one input example
    jacobians = []
    for _layer in range(depth):
        W = rng.normal(size=(width, width)) * np.sqrt(weight_var)
        s = phi(h @ W)                              # forward, no biases
        jacobians.append(np.diag(dphi_from_output(s)) @ W.T)   # (out, in)
        h = s
    g = rng.normal(size=width)
    g /= np.linalg.norm(g)
    norms = [1.0]
    for J in reversed(jacobians):       # chain rule: g_{l−1} = J_lᵀ g_l
        g = J.T @ g
        norms.append(float(np.linalg.norm(g)))
    return norms[::-1]                  # index l: the gradient at h_l


width = 100
for name, c in [("sigmoid", 1), ("tanh", 1), ("relu", 2)]:
    var = c / width
    norms = gradient_norms(name, var)
    print(f"{name:7s} Var(w)={var:.3f}: ‖g‖ at layer 20 = {norms[-1]:.0f}, "
          f"at layer 10 = {norms[10]:.1e}, at layer 0 = {norms[0]:.1e}")
# --8<-- [end:jacobians]


def figure_curves():
    """The per-layer gradient norms drawn in vanishing.png (course/code/figures.py)."""
    spec = importlib.util.spec_from_file_location(
        "_course_figures", Path(__file__).resolve().parent / "figures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.vanishing_curves()


def check():
    # σ'(z) = σ(z)(1 − σ(z)): 1/4 at 0, then it decays like e^{−|z|}
    sigma = lambda z: 1 / (1 + np.exp(-z))             # noqa: E731
    slopes = {z: sigma(z) * (1 - sigma(z)) for z in (0.0, 2.0, 5.0, 10.0)}
    assert slopes[0.0] == 0.25 and round(slopes[2.0], 3) == 0.105
    assert round(slopes[5.0], 4) == 0.0066 and f"{slopes[10.0]:.1e}" == "4.5e-05"
    assert f"{0.25**10:.2e}" == "9.54e-07"
    assert round(1.5**10, 1) == 57.7 and f"{1.5**30:.2e}" == "1.92e+05"
    assert round(0.9**50, 4) == 0.0052 and round(1.1**50, 1) == 117.4
    sig = gradient_norms("sigmoid", 1 / width)
    tanh = gradient_norms("tanh", 1 / width)
    relu = gradient_norms("relu", 2 / width)
    quoted = {"sigmoid": (sig, "4.7e-07", "1.6e-13"), "tanh": (tanh, "5.3e-01", "7.2e-02"),
              "relu": (relu, "1.2e+00", "9.1e-01")}
    for norms, at_10, at_0 in quoted.values():
        assert (f"{norms[10]:.1e}", f"{norms[0]:.1e}") == (at_10, at_0)
    assert round(1 / sig[0] ** (1 / 20), 1) == 4.4       # lost per sigmoid layer
    # sigmoid: every layer multiplies by at most 1/4 times the size of W (≈ 2 here)
    assert sig[0] < 1e-8 and sig[10] < 1e-3
    # tanh with Xavier keeps most of the gradient (it decays slowly as units saturate)
    assert 1e-2 < tanh[0] < 10
    # relu with He keeps the gradient at the same scale through 20 layers
    assert 0.1 < relu[0] < 10
    # what the chapter says about the figure vanishing.png
    curves = figure_curves()
    ratio = {name: signal[0] / signal[-1] for name, (signal, _) in curves.items()}
    assert 1e-13 < ratio["sigmoid, Xavier init"] < 1e-11          # twelve orders of magnitude
    assert 5e-4 < ratio["ReLU, Xavier init"] < 5e-3               # about a thousandfold
    assert 0.5 < ratio["ReLU, He init"] < 2                       # flat
    assert 2 < ratio["residual blocks with batch norm, He init"] < 10   # grows a few times
    relu_w = curves["ReLU, Xavier init"][1]
    he_w = curves["ReLU, He init"][1]
    assert relu_w.max() / relu_w.min() < 2 and relu_w.max() < 1e-3 < 0.5 < he_w.min()
    assert he_w.max() / he_w.min() < 10
    sig_w = curves["sigmoid, Xavier init"][1]
    assert 1e-13 < sig_w[0] / sig_w[-1] < 1e-11
    # the Jacobian built explicitly equals the finite-difference Jacobian of one layer
    rng = np.random.default_rng(3)
    W, h = rng.normal(size=(4, 5)) * 0.5, rng.normal(size=4)
    J = np.diag(1 - np.tanh(h @ W) ** 2) @ W.T
    eye = np.eye(4) * 1e-6
    numeric = np.stack([(np.tanh((h + e) @ W) - np.tanh((h - e) @ W)) / 2e-6 for e in eye], 1)
    assert np.allclose(J, numeric, atol=1e-8)


if __name__ == "__main__":
    check()
    print("ok")
