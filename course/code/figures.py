"""The figures of the course website, computed from the project's own code.

Every picture is drawn by matplotlib from the reference solutions in ``solutions/`` (loaded
by path with :func:`autograder.grading.reference.load_reference`) and from
``autograder.numerics.gradcheck``, so a figure can never disagree with the code the course
grades against. The site's build hook (``course_hooks.py``) calls :func:`render_all` on
every build and publishes the PNGs at ``figures/<name>.png``; nothing here is committed.

* ``activations.png`` — sigmoid, tanh, ReLU and leaky ReLU, each with its derivative.
* ``vanishing.png`` — a 20-layer network at initialisation: left, the norm of the gradient
  that reaches each layer's output, ``‖∂L/∂h_l‖``; right, the norm of each layer's weight
  gradient ``‖∂L/∂W_l‖`` (for a residual block, its first layer's); for sigmoid (Xavier
  init), ReLU (Xavier init), ReLU (He init) and pre-activation residual blocks with batch
  norm (He init).
* ``clipping.png`` — the loss of the chapter's exploding example with and without
  gradient-norm clipping.
* ``gradcheck.png`` — the relative error of central differences against the analytic
  gradient as the step ``h`` shrinks from 1e-1 to 1e-12: truncation error, then round-off.

Run ``python course/code/figures.py [OUTDIR]`` to write the PNGs (default ``course/figures/``)
and look at them without building the site.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from autograder.grading.reference import load_reference  # noqa: E402
from autograder.numerics.gradcheck import numerical_gradient, relative_error  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "figures"

DEPTH = 20        # hidden layers of the vanishing-gradient network
WIDTH = 64        # units per hidden layer
BATCH = 256
CLASSES = 10
COLOURS = {"sigmoid": "#d62728", "relu": "#ff7f0e", "he": "#2ca02c", "resnet": "#1f77b4"}


# --------------------------------------------------------------------------------------
# The numbers behind the pictures (also used by check()).
# --------------------------------------------------------------------------------------


def activation_curves(x):
    """``{name: (f(x), f'(x))}`` for the four activations, from the reference solutions."""
    act = load_reference("activations")
    return {
        "sigmoid": (act.sigmoid(x), act.sigmoid_grad(x)),
        "tanh": (np.tanh(x), act.tanh_grad(x)),
        "ReLU": (act.relu(x), act.relu_grad(x)),
        # α = 0.1, ten times the default 0.01, so that the slope shows at this scale
        "leaky ReLU (α = 0.1; default 0.01)": (act.leaky_relu(x, 0.1),
                                               act.leaky_relu_grad(x, 0.1)),
    }


def _plain_network(activation, init, rng, x, labels):
    """Per-layer ``(‖∂L/∂h_l‖, ‖∂L/∂W_l‖)`` of a plain MLP at initialisation."""
    act, bp = load_reference("activations"), load_reference("backprop")
    stab = load_reference("stability")
    forward = {"sigmoid": act.sigmoid, "relu": act.relu}[activation]
    derivative = {"sigmoid": act.sigmoid_grad, "relu": act.relu_grad}[activation]
    draw = {"xavier": stab.xavier_init, "he": stab.he_init}[init]

    h, caches, pre = x, [], []
    for _ in range(DEPTH):
        z, cache = bp.dense_forward(h, draw(WIDTH, WIDTH, rng), np.zeros(WIDTH))
        caches.append(cache)
        pre.append(z)
        h = forward(z)
    dh = _head_gradient(h, rng, labels)

    signal, weights = np.zeros(DEPTH), np.zeros(DEPTH)
    for layer in reversed(range(DEPTH)):
        signal[layer] = np.linalg.norm(dh)
        dz = dh * derivative(pre[layer])
        dh, dW, _ = bp.dense_backward(dz, caches[layer])
        weights[layer] = np.linalg.norm(dW)
    return signal, weights


def _head_gradient(h, rng, labels):
    """The gradient of the softmax cross-entropy of a linear head on ``h`` ``(N, WIDTH)``
    with respect to ``h``: where both networks' backward passes start."""
    bp, losses = load_reference("backprop"), load_reference("losses")
    stab = load_reference("stability")
    head = bp.dense_forward(h, stab.xavier_init(WIDTH, CLASSES, rng), np.zeros(CLASSES))
    _, dscores = losses.softmax_cross_entropy(head[0], labels)
    return bp.dense_backward(dscores, head[1])[0]


def _residual_network(rng, x, labels):
    """The same measurements for pre-activation residual blocks with batch norm.

    Block ``l`` computes ``h_l = h_{l−1} + relu(BN(h_{l−1}) @ W1) @ W2``: the skip
    connection is the identity, batch norm and the two He-initialised layers form the branch.
    """
    act, bp = load_reference("activations"), load_reference("backprop")
    stab = load_reference("stability")
    ones, zeros = np.ones(WIDTH), np.zeros(WIDTH)
    h, caches = x, []
    for _ in range(DEPTH):
        u, bn_cache = stab.batchnorm_forward(h, ones, zeros)
        z, first = bp.dense_forward(u, stab.he_init(WIDTH, WIDTH, rng), zeros)
        branch, second = bp.dense_forward(act.relu(z), stab.he_init(WIDTH, WIDTH, rng), zeros)
        caches.append((bn_cache, first, z, second))
        h = h + branch
    dh = _head_gradient(h, rng, labels)

    signal, weights = np.zeros(DEPTH), np.zeros(DEPTH)
    for layer in reversed(range(DEPTH)):
        signal[layer] = np.linalg.norm(dh)
        bn_cache, first, z, second = caches[layer]
        da = bp.dense_backward(dh, second)[0]
        du, dW1, _ = bp.dense_backward(da * act.relu_grad(z), first)
        dh = dh + stab.batchnorm_backward(du, bn_cache)[0]   # identity path + branch
        weights[layer] = np.linalg.norm(dW1)
    return signal, weights


def vanishing_curves(seed=0):
    """``{label: (signal, weights)}``: per-layer gradient norms of the four networks."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(BATCH, WIDTH))
    labels = rng.integers(0, CLASSES, size=BATCH)
    return {
        "sigmoid, Xavier init": _plain_network("sigmoid", "xavier", rng, x, labels),
        "ReLU, Xavier init": _plain_network("relu", "xavier", rng, x, labels),
        "ReLU, He init": _plain_network("relu", "he", rng, x, labels),
        "residual blocks with batch norm, He init": _residual_network(rng, x, labels),
    }


def clipping_curves():
    """``(unclipped, clipped, max_norm)``: loss histories of the exploding example."""
    stab = load_reference("stability")
    X, y, params, loss_fn, lr, steps, max_norm = stab.exploding_example()
    _, unclipped = stab.train_unclipped(X, y, params, loss_fn, lr, steps)
    _, clipped = stab.train_clipped(X, y, params, loss_fn, lr, steps, max_norm)
    return unclipped, clipped, max_norm


def gradcheck_curve():
    """``(hs, errors)``: relative error of central differences at each step size ``h``.

    The function is the softmax cross-entropy of four examples over five classes, whose
    analytic gradient ``(softmax − onehot)/N`` comes from the reference solution.
    """
    losses = load_reference("losses")
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(4, 5))
    labels = np.array([0, 3, 1, 4])
    _, analytic = losses.softmax_cross_entropy(logits, labels)

    def loss(z):
        return losses.softmax_cross_entropy(z, labels)[0]

    hs = np.logspace(-1, -12, 45)
    errors = np.array([relative_error(numerical_gradient(loss, logits, h), analytic)
                       for h in hs])
    return hs, errors


# --------------------------------------------------------------------------------------
# The pictures.
# --------------------------------------------------------------------------------------


def activations_figure():
    x = np.linspace(-5.0, 5.0, 1001)
    fig, axes = plt.subplots(2, 2, figsize=(8, 6), sharex=True)
    for ax, (name, (value, slope)) in zip(axes.flat, activation_curves(x).items()):
        if "ReLU" in name:  # leave a gap at the kink instead of a vertical jump
            slope = np.where(x == 0.0, np.nan, slope)
        ax.plot(x, value, color="#1f77b4", lw=2, label="f(x)")
        ax.plot(x, slope, color="#d62728", lw=2, ls="--", label="f′(x)", zorder=3)
        if name == "ReLU":  # for x < 0 the derivative lies on the function's own line
            ax.annotate("f′(x) = 0 here too", xy=(-2.5, 0.0), xytext=(-4.6, 1.2),
                        color="#d62728", arrowprops={"arrowstyle": "->", "color": "#d62728"})
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.set_title(name)
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("x")
    axes[0, 0].legend(loc="upper left")
    fig.suptitle("Activations (solid) and their derivatives (dashed)")
    fig.tight_layout()
    return fig


def vanishing_figure():
    curves = vanishing_curves()
    layers = np.arange(1, DEPTH + 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.4))
    for colour, (label, (signal, weights)) in zip(COLOURS.values(), curves.items()):
        left.semilogy(layers, signal, "o-", color=colour, ms=4, label=label)
        right.semilogy(layers, weights, "o-", color=colour, ms=4, label=label)
    left.set_title("gradient reaching layer l:  ‖∂L/∂h_l‖")
    right.set_title("gradient of layer l's weights:  ‖∂L/∂W_l‖")
    for ax in (left, right):
        ax.set_xlabel(f"layer l  (1 = next to the input, {DEPTH} = next to the loss)")
        ax.set_xticks(layers[::2] if DEPTH > 10 else layers)
        ax.grid(alpha=0.3, which="both")
    left.set_ylabel("gradient norm (log scale)")
    right.legend(loc="lower right", fontsize=9)
    fig.suptitle(f"A {DEPTH}-layer network of width {WIDTH} at initialisation "
                 f"(batch of {BATCH}, softmax cross-entropy over {CLASSES} classes)")
    fig.tight_layout()
    return fig


def clipping_figure():
    unclipped, clipped, max_norm = clipping_curves()
    top = 1e6                                   # losses above this are drawn at the edge
    fig, ax = plt.subplots(figsize=(8, 4.4))
    steps = np.arange(len(clipped))
    ax.semilogy(steps, clipped, color="#1f77b4", lw=2,
                label=f"clipped to a global norm of {max_norm:g}")
    shown = np.flatnonzero(np.isfinite(unclipped) & (unclipped <= top))
    ax.semilogy(steps[shown], unclipped[shown], "o-", color="#d62728", lw=2,
                label="not clipped")
    beyond = np.flatnonzero(~np.isfinite(unclipped) | (unclipped > top))
    if beyond.size:
        first = int(beyond[0])
        ax.plot([shown[-1], first], [unclipped[shown[-1]], top], "-", color="#d62728", lw=2)
        ax.plot([first], [top], "^", color="#d62728", ms=10, clip_on=False)
        ax.annotate(f"off the chart: {unclipped[first]:.1e} at step {first},\n"
                    "inf one step later, then nan",
                    xy=(first, top), xytext=(12, -28), textcoords="offset points",
                    color="#d62728")
    ax.set_ylim(clipped.min() / 3, top)
    ax.set_xlabel("gradient-descent step")
    ax.set_ylabel("training loss (log scale)")
    ax.set_title("The exploding example: 8 linear layers, learning rate 0.03")
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="center right")
    fig.tight_layout()
    return fig


def gradcheck_figure():
    hs, errors = gradcheck_curve()
    eps = np.finfo(np.float64).eps
    fig, ax = plt.subplots(figsize=(8, 4.4))
    ax.loglog(hs, errors, "o-", color="#1f77b4", ms=4, label="measured relative error")
    best = int(np.argmin(errors))
    scale_t = errors[0] / hs[0] ** 2
    scale_r = errors[-1] * hs[-1] / eps
    ax.loglog(hs, scale_t * hs**2, "--", color="#2ca02c", label="truncation ∝ h²")
    ax.loglog(hs, scale_r * eps / hs, "--", color="#d62728", label="round-off ∝ ε/h")
    ax.annotate(f"best h ≈ {hs[best]:.0e}", xy=(hs[best], errors[best]),
                xytext=(-20, 70), textcoords="offset points", ha="center",
                arrowprops={"arrowstyle": "->"})
    ax.set_ylim(errors.min() / 10, max(1.0, errors.max() * 10))
    ax.invert_xaxis()
    ax.set_xlabel("step h  (shrinking to the right)")
    ax.set_ylabel("relative error, numerical vs analytic")
    ax.set_title("Gradient check of softmax cross-entropy in float64")
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="upper center")
    fig.tight_layout()
    return fig


FIGURES = {
    "activations.png": activations_figure,
    "vanishing.png": vanishing_figure,
    "clipping.png": clipping_figure,
    "gradcheck.png": gradcheck_figure,
}


def png(fig) -> bytes:
    """The figure as PNG bytes, without the matplotlib version (identical across builds)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def render_all() -> dict[str, bytes]:
    """``{file name: PNG bytes}`` for every figure of the site."""
    return {name: png(make()) for name, make in FIGURES.items()}


def check():
    """The figures say what the pages say about them."""
    curves = vanishing_curves()
    sig_signal, sig_weights = curves["sigmoid, Xavier init"]
    relu_signal, relu_weights = curves["ReLU, Xavier init"]
    he_signal, he_weights = curves["ReLU, He init"]
    res_signal, _ = curves["residual blocks with batch norm, He init"]
    assert sig_signal[0] < 1e-8 * sig_signal[-1]              # sigmoid: vanishes
    assert sig_weights[0] < 1e-8 * sig_weights[-1]
    assert relu_signal[0] < 1e-2 * relu_signal[-1]            # ReLU + Xavier: halves per layer
    assert relu_weights.max() < 0.1 * he_weights.min()        # … so every layer learns slowly
    assert 0.1 < he_signal[0] / he_signal[-1] < 10            # He init keeps the scale
    assert 0.1 < res_signal[0] / res_signal[-1] < 100         # so does residual + batch norm

    unclipped, clipped, _ = clipping_curves()
    assert not np.isfinite(unclipped[-1]) and clipped[-1] < 0.2

    hs, errors = gradcheck_curve()
    best = hs[int(np.argmin(errors))]
    assert 1e-7 <= best <= 1e-3 and errors.min() < 1e-8      # the V of the picture
    assert errors[0] > 1e-4 and errors[-1] > 1e-5


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    for name, data in render_all().items():
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), name
        (out / name).write_bytes(data)
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
