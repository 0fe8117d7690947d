"""The figures of the course website, computed from the project's own code.

Every picture is drawn by matplotlib from the reference solutions in ``solutions/`` (loaded
by path with :func:`autograder.grading.reference.load_reference`) and from
``autograder.numerics.gradcheck``, so a figure can never disagree with the code the course
grades against. The site's build hook (``course_hooks.py``) calls :func:`render_all` for each
language of the site on every build and publishes the PNGs at ``figures/<name>.png``
(English) and ``figures/<stem>.zh.png`` (Chinese); nothing here is committed.

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

Every piece of prose a reader sees is in :data:`LABELS`, one table per language, and one
drawing code path serves both; numbers, formulas and code names are shared. The Chinese
characters are drawn in the "Noto Sans CJK SC" font (Debian: ``apt-get install
fonts-noto-cjk``), and a glyph missing from the fonts fails the drawing in either language
instead of showing up as a box.

Run ``python course/code/figures.py [OUTDIR]`` to write the PNGs of both languages (default
``course/figures/``) and look at them without building the site.
"""

from __future__ import annotations

import contextlib
import io
import re
import string
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from _figure_files import write_all  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from autograder.grading.reference import load_reference  # noqa: E402
from autograder.numerics.gradcheck import numerical_gradient, relative_error  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE.parent / "figures"

DEPTH = 20        # hidden layers of the vanishing-gradient network
WIDTH = 64        # units per hidden layer
BATCH = 256
CLASSES = 10
COLOURS = {"sigmoid_xavier": "#d62728", "relu_xavier": "#ff7f0e", "relu_he": "#2ca02c",
           "residual_bn_he": "#1f77b4"}
# the networks of vanishing.png: their names in vanishing_curves(), their keys in LABELS
NETWORKS = {"sigmoid, Xavier init": "sigmoid_xavier", "ReLU, Xavier init": "relu_xavier",
            "ReLU, He init": "relu_he",
            "residual blocks with batch norm, He init": "residual_bn_he"}
LANGUAGES = ("en", "zh")

# --------------------------------------------------------------------------------------
# Everything a reader reads, per language. Braces are filled in with numbers.
# --------------------------------------------------------------------------------------

LABELS = {
    "en": {
        # activations.png
        "act_title": "Activations (solid) and their derivatives (dashed)",
        "sigmoid": "sigmoid",
        "tanh": "tanh",
        "relu": "ReLU",
        "leaky_relu": "leaky ReLU (α = 0.1; default 0.01)",
        "also_zero": "f′(x) = 0 here too",
        # vanishing.png
        "van_title": "A {depth}-layer network of width {width} at initialisation "
                     "(batch of {batch}, softmax cross-entropy over {classes} classes)",
        "reaching": "gradient reaching layer l:  ‖∂L/∂h_l‖",
        "of_weights": "gradient of layer l's weights:  ‖∂L/∂W_l‖",
        "layer_axis": "layer l  (1 = next to the input, {depth} = next to the loss)",
        "norm_axis": "gradient norm (log scale)",
        "sigmoid_xavier": "sigmoid, Xavier init",
        "relu_xavier": "ReLU, Xavier init",
        "relu_he": "ReLU, He init",
        "residual_bn_he": "residual blocks with batch norm, He init",
        # clipping.png
        "clip_title": "The exploding example: 8 linear layers, learning rate 0.03",
        "clipped": "clipped to a global norm of {max_norm}",
        "not_clipped": "not clipped",
        "off_chart": "off the chart: {value} at step {step},\ninf one step later, then nan",
        "step_axis": "gradient-descent step",
        "loss_axis": "training loss (log scale)",
        # gradcheck.png
        "gc_title": "Gradient check of softmax cross-entropy in float64",
        "measured": "measured relative error",
        "truncation": "truncation ∝ h²",
        "round_off": "round-off ∝ ε/h",
        "best_h": "best h ≈ {h}",
        "h_axis": "step h  (shrinking to the right)",
        "error_axis": "relative error, numerical vs analytic",
    },
    "zh": {
        # activations.png
        "act_title": "激活函数（实线）及其导数（虚线）",
        "sigmoid": "Sigmoid 函数",
        "tanh": "Tanh 函数",
        "relu": "ReLU 函数",
        "leaky_relu": "Leaky ReLU（α = 0.1；默认值为 0.01）",
        "also_zero": "此处同样有 f′(x) = 0",
        # vanishing.png
        "van_title": "初始化时一个 {depth} 层、宽度为 {width} 的网络"
                     "（一批 {batch} 个样本，{classes} 个类别上的 Softmax 交叉熵损失）",
        "reaching": "到达第 l 层的梯度：‖∂L/∂h_l‖",
        "of_weights": "第 l 层权重的梯度：‖∂L/∂W_l‖",
        "layer_axis": "第 l 层（1 = 紧邻输入，{depth} = 紧邻损失）",
        "norm_axis": "梯度范数（对数坐标）",
        "sigmoid_xavier": "Sigmoid 函数，Xavier 初始化",
        "relu_xavier": "ReLU，Xavier 初始化",
        "relu_he": "ReLU，He 初始化",
        "residual_bn_he": "带批量归一化的残差块，He 初始化",
        # clipping.png
        "clip_title": "梯度爆炸的例子：8 个线性层，学习率 0.03",
        "clipped": "把全局范数裁剪到 {max_norm}",
        "not_clipped": "未裁剪",
        "off_chart": "超出图表：第 {step} 步为 {value}，\n下一步为 inf，之后为 nan",
        "step_axis": "梯度下降的迭代步",
        "loss_axis": "训练损失（对数坐标）",
        # gradcheck.png
        "gc_title": "float64 下 Softmax 交叉熵的梯度检验",
        "measured": "实测相对误差",
        "truncation": "截断误差 ∝ h²",
        "round_off": "舍入误差 ∝ ε/h",
        "best_h": "最佳 h ≈ {h}",
        "h_axis": "步长 h（向右减小）",
        "error_axis": "数值梯度与解析梯度的相对误差",
    },
}

CJK_FONT = "Noto Sans CJK SC"   # the typeface of the Chinese text of the Chinese figures
LATIN_FONT = "DejaVu Sans"      # matplotlib's default (it ships with it): the English figures'
NO_CJK_FONT = ("Chinese figures need a CJK font: install fonts-noto-cjk "
               "(apt-get install fonts-noto-cjk)")
# matplotlib's warning for a character that no font of the list has; drawn, it is a box
MISSING_GLYPH = r"Glyph \d+ .* missing from font"


# --------------------------------------------------------------------------------------
# The numbers behind the pictures (also used by check()).
# --------------------------------------------------------------------------------------


def activation_curves(x):
    """``{key: (f(x), f'(x))}`` for the four activations, from the reference solutions (a
    key of :data:`LABELS` names each)."""
    act = load_reference("activations")
    return {
        "sigmoid": (act.sigmoid(x), act.sigmoid_grad(x)),
        "tanh": (np.tanh(x), act.tanh_grad(x)),
        "relu": (act.relu(x), act.relu_grad(x)),
        # α = 0.1, ten times the default 0.01, so that the slope shows at this scale
        "leaky_relu": (act.leaky_relu(x, 0.1), act.leaky_relu_grad(x, 0.1)),
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
    """``{name: (signal, weights)}``: per-layer gradient norms of the four networks, by
    their English names (``ch4_products.py`` reads them by name; :data:`NETWORKS` gives
    each one's key in :data:`LABELS` and :data:`COLOURS`)."""
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
# The pictures: one drawing per figure, its texts from the table ``t`` of one language.
# --------------------------------------------------------------------------------------


def activations_figure(t):
    x = np.linspace(-5.0, 5.0, 1001)
    fig, axes = plt.subplots(2, 2, figsize=(8, 6), sharex=True)
    for ax, (key, (value, slope)) in zip(axes.flat, activation_curves(x).items()):
        if key in ("relu", "leaky_relu"):  # leave a gap at the kink, not a vertical jump
            slope = np.where(x == 0.0, np.nan, slope)
        ax.plot(x, value, color="#1f77b4", lw=2, label="f(x)")
        ax.plot(x, slope, color="#d62728", lw=2, ls="--", label="f′(x)", zorder=3)
        if key == "relu":  # for x < 0 the derivative lies on the function's own line
            ax.annotate(t["also_zero"], xy=(-2.5, 0.0), xytext=(-4.6, 1.2),
                        color="#d62728", arrowprops={"arrowstyle": "->", "color": "#d62728"})
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.set_title(t[key])
        ax.grid(alpha=0.3)
    for ax in axes[1]:
        ax.set_xlabel("x")
    axes[0, 0].legend(loc="upper left")
    fig.suptitle(t["act_title"])
    fig.tight_layout()
    return fig


def vanishing_figure(t):
    curves = vanishing_curves()
    layers = np.arange(1, DEPTH + 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.4))
    for name, (signal, weights) in curves.items():
        key = NETWORKS[name]
        left.semilogy(layers, signal, "o-", color=COLOURS[key], ms=4, label=t[key])
        right.semilogy(layers, weights, "o-", color=COLOURS[key], ms=4, label=t[key])
    left.set_title(t["reaching"])
    right.set_title(t["of_weights"])
    for ax in (left, right):
        ax.set_xlabel(t["layer_axis"].format(depth=DEPTH))
        ax.set_xticks(layers[::2] if DEPTH > 10 else layers)
        ax.grid(alpha=0.3, which="both")
    left.set_ylabel(t["norm_axis"])
    right.legend(loc="lower right", fontsize=9)
    fig.suptitle(t["van_title"].format(depth=DEPTH, width=WIDTH, batch=BATCH,
                                       classes=CLASSES))
    fig.tight_layout()
    return fig


def clipping_figure(t):
    unclipped, clipped, max_norm = clipping_curves()
    top = 1e6                                   # losses above this are drawn at the edge
    fig, ax = plt.subplots(figsize=(8, 4.4))
    steps = np.arange(len(clipped))
    ax.semilogy(steps, clipped, color="#1f77b4", lw=2,
                label=t["clipped"].format(max_norm=f"{max_norm:g}"))
    shown = np.flatnonzero(np.isfinite(unclipped) & (unclipped <= top))
    ax.semilogy(steps[shown], unclipped[shown], "o-", color="#d62728", lw=2,
                label=t["not_clipped"])
    beyond = np.flatnonzero(~np.isfinite(unclipped) | (unclipped > top))
    if beyond.size:
        first = int(beyond[0])
        ax.plot([shown[-1], first], [unclipped[shown[-1]], top], "-", color="#d62728", lw=2)
        ax.plot([first], [top], "^", color="#d62728", ms=10, clip_on=False)
        ax.annotate(t["off_chart"].format(value=f"{unclipped[first]:.1e}", step=first),
                    xy=(first, top), xytext=(12, -28), textcoords="offset points",
                    color="#d62728")
    ax.set_ylim(clipped.min() / 3, top)
    ax.set_xlabel(t["step_axis"])
    ax.set_ylabel(t["loss_axis"])
    ax.set_title(t["clip_title"])
    ax.grid(alpha=0.3, which="both")
    ax.legend(loc="center right")
    fig.tight_layout()
    return fig


def gradcheck_figure(t):
    hs, errors = gradcheck_curve()
    eps = np.finfo(np.float64).eps
    fig, ax = plt.subplots(figsize=(8, 4.4))
    ax.loglog(hs, errors, "o-", color="#1f77b4", ms=4, label=t["measured"])
    best = int(np.argmin(errors))
    scale_t = errors[0] / hs[0] ** 2
    scale_r = errors[-1] * hs[-1] / eps
    ax.loglog(hs, scale_t * hs**2, "--", color="#2ca02c", label=t["truncation"])
    ax.loglog(hs, scale_r * eps / hs, "--", color="#d62728", label=t["round_off"])
    ax.annotate(t["best_h"].format(h=f"{hs[best]:.0e}"), xy=(hs[best], errors[best]),
                xytext=(-20, 70), textcoords="offset points", ha="center",
                arrowprops={"arrowstyle": "->"})
    ax.set_ylim(errors.min() / 10, max(1.0, errors.max() * 10))
    ax.invert_xaxis()
    ax.set_xlabel(t["h_axis"])
    ax.set_ylabel(t["error_axis"])
    ax.set_title(t["gc_title"])
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


# --------------------------------------------------------------------------------------
# Fonts, rendering, and the check that the figures say what the pages say.
# --------------------------------------------------------------------------------------


def cjk_font() -> str:
    """The family name of the font of the Chinese figures, once matplotlib knows it.

    matplotlib's font list is cached; when the font was installed after the cache was made,
    its files are looked up among the system's fonts and added. Raises ``RuntimeError`` if
    there is no such font: without one, Chinese text would be drawn as boxes.
    """
    def known() -> bool:
        return any(entry.name == CJK_FONT for entry in font_manager.fontManager.ttflist)

    if not known():
        for path in font_manager.findSystemFonts():
            if "sanscjk" in re.sub(r"[-_ ]", "", Path(path).name.lower()):
                font_manager.fontManager.addfont(path)
    if not known():
        raise RuntimeError(NO_CJK_FONT)
    return CJK_FONT


def style(lang: str) -> dict:
    """The matplotlib settings of one language: the defaults in English. In Chinese, a list
    of two fonts, which matplotlib searches glyph by glyph: the English figures' font for
    Latin letters, digits and math signs (so formulas and numbers look the same in both
    editions; the CJK font's ‖ and ∂ are full-width), then the CJK font for the Chinese
    characters and the full-width punctuation."""
    if lang not in LABELS:
        raise ValueError(f"no figures in {lang!r}: the languages are {', '.join(LABELS)}")
    if lang == "en":
        return {}
    return {"font.family": [LATIN_FONT, cjk_font()],
            "axes.unicode_minus": True}            # a real minus sign, as in English


@contextlib.contextmanager
def drawing(lang: str):
    """Draw in ``lang``: its fonts, and a glyph missing from them is an error."""
    settings = style(lang)
    with plt.rc_context(settings), warnings.catch_warnings():
        warnings.filterwarnings("error", message=MISSING_GLYPH)
        yield LABELS[lang]


def png(fig) -> bytes:
    """The figure as PNG bytes, without the matplotlib version (identical across builds)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    return buffer.getvalue()


def render(make, lang: str) -> tuple[bytes, list[str]]:
    """One figure in ``lang``: its PNG bytes and the texts drawn on it (tick labels too).
    Raises ``RuntimeError`` if a character is missing from the fonts."""
    before = set(plt.get_fignums())
    try:
        with drawing(lang) as t:
            fig = make(t)
            data = png(fig)
            texts = [text.get_text() for text in fig.findobj(Text)
                     if text.get_visible() and text.get_text()]
    except UserWarning as warning:              # only a missing glyph is made an error
        raise RuntimeError(f"{make.__name__} ({lang}): {warning}") from warning
    finally:
        for number in set(plt.get_fignums()) - before:
            plt.close(number)
    return data, texts


def render_all(lang: str = "en") -> dict[str, bytes]:
    """``{file name: PNG bytes}`` for every figure of the site, in ``lang`` ("en" or "zh");
    the file names are the same in every language."""
    style(lang)                                    # an unknown language, a missing font
    return {name: render(make, lang)[0] for name, make in FIGURES.items()}


def placeholders(text: str) -> set[str]:
    """The names of the ``{fields}`` of a label."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def numbers(text: str) -> list[str]:
    """The numbers written out in a label, sorted (word order differs between languages)."""
    return sorted(re.findall(r"[0-9]+(?:\.[0-9]+)?", text))


# words that are the same in every language: names of functions, schemes and types
SHARED_WORDS = {"Sigmoid", "sigmoid", "Tanh", "tanh", "ReLU", "Leaky", "Softmax", "Xavier", "He",
                "float64", "inf", "nan", "mathdefault"}


def check_texts(texts: list[str], name: str):
    """The Chinese edition of a figure has no English prose left: every word of two or more
    Latin letters is a shared name."""
    words = set(re.findall(r"[A-Za-z][A-Za-z0-9]+", "\n".join(texts)))
    assert words <= SHARED_WORDS, (name, sorted(words - SHARED_WORDS))
    assert any(re.search(r"[\u4e00-\u9fff]", text) for text in texts), name


def check():
    """The figures say what the pages say about them, in every language."""
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

    # every language says the same things, with the same numbers filled in
    for lang in LANGUAGES:
        assert LABELS[lang].keys() == LABELS["en"].keys(), lang
        for key, text in LABELS[lang].items():
            assert placeholders(text) == placeholders(LABELS["en"][key]), (lang, key)
            assert numbers(text) == numbers(LABELS["en"][key]), (lang, key)
    # each figure draws in every language with no missing glyph (that would raise), and
    # the Chinese ones are in Chinese
    for name, make in FIGURES.items():
        for lang in LANGUAGES:
            data, texts = render(make, lang)
            assert data.startswith(b"\x89PNG\r\n\x1a\n"), (name, lang)
            if lang == "zh":
                check_texts(texts, name)


def main(argv=None) -> int:
    return write_all(render_all, LANGUAGES, DEFAULT_OUT, argv)


if __name__ == "__main__":
    sys.exit(main())
