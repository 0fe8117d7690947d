"""The computational-graph figures of the course website, drawn by Graphviz.

Each figure is the graph of a worked example of the course, labelled with the numbers of
the tested script that computes it (imported, never retyped): forward values in blue,
gradients in red. A box is one computed quantity — its name or formula, its value, its
gradient ∂L/∂(box). A wire into a box carries the box's *local* derivative with respect to
that input and, after an arrow pointing back, what the backward pass sends down the wire:
the box's (upstream) gradient times the local derivative, the input's (downstream) share.
Where a quantity feeds several boxes, the shares coming back add.

* ``neuron.svg`` — chapter 1's neuron ``z = w·x + b, a = tanh z, L = (a − t)²``, from
  ``ch1_chain_rule.py``.
* ``fanout.svg`` — chapter 3's graph ``u = w₁x, a = tanh u, v = w₂x, s = a + v,
  L = (s − t)²`` in which x is read twice: its two shares add up (``ch3_graph.py``).
* ``dense.svg`` — the dense layer ``out = x @ W + b``: forward pass, cache, backward pass
  and the shape of every array (``ch3_dense_layer.py``, N = 2, D = 3, M = 2).
* ``batchnorm.svg`` — batch norm of one feature column in training mode; x reaches x̂
  directly, through μ and through σ², and the three shares add (``ch4_batchnorm.py``).
* ``residual.svg`` — a residual block ``out = h + F(h)``: the skip path hands the upstream
  gradient g to h unchanged and the branch adds ``Jᵀ g`` (``ch4_residual.py``).

:func:`render_all` returns ``{file name: SVG bytes}`` in one language ("en" or "zh"); the
site's build hook (``course_hooks.py``) publishes them at ``figures/<name>`` (English) and
``figures/<stem>.zh.svg`` (Chinese). Run ``python course/code/graphs.py [OUTDIR]`` to
write both languages (default ``course/figures/``). Needs Graphviz's ``dot`` program
(Debian: ``apt-get install graphviz``) and the Python package ``graphviz``; to lay the
Chinese labels out with the widths a reader's browser will draw them at, a CJK font
(Debian: ``apt-get install fonts-noto-cjk``).

Every piece of prose a reader sees is in :data:`LABELS`, one table per language, and one
drawing code path serves both; the other label text is formulas and numbers, shared.
"""

from __future__ import annotations

import contextlib
import functools
import html
import importlib.util
import io
import itertools
import json
import re
import shutil
import string
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import graphviz
import numpy as np
from _figure_files import write_all

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_OUT = HERE.parent / "figures"

# --------------------------------------------------------------------------------------
# Everything a reader reads, per language. Braces are filled in with numbers, shapes or
# formulas; a "\n" breaks a line of the legend.
# --------------------------------------------------------------------------------------

LABELS = {
    "en": {
        # the legend of every figure
        "value": "value (forward pass)",
        "gradient": "gradient ∂L/∂· (backward pass)",
        "wire_rule": "on each wire: the local derivative, then {arrow} upstream gradient × local "
                     "derivative = the share sent back to the input",
        "sum_box": "shaded box: the shares of several paths add up there",
        "separator": "; ",
        "d_is": "on each wire: the shape of the array it carries; d· stands for ∂L/∂·",
        "wire_shape_rule": "on each wire: the shape it carries, the local derivative, then {arrow} "
                           "the share sent back to the input",
        "same_shape": "a gradient has the shape of the array it belongs to",
        # roles of the boxes
        "input": "input",
        "weight": "weight",
        "bias": "bias",
        "target": "target",
        "loss": "loss",
        "constant": "constant: no gradient",
        "seed": "{grad} (the seed)",
        # neuron.svg
        "neuron_title": "Chapter 1's neuron, forward and backward",
        # fanout.svg
        "fanout_title": "x is used twice: the shares of its two paths add",
        "share": "share of path {n}",
        # dense.svg
        "dense_title": "A dense layer: forward pass, cache, backward pass",
        "dense_forward": "forward",
        "dense_backward": "backward",
        "cache": "cache",
        "cache_note": "kept by forward for backward",
        "to_next": "on to the next layer",
        "from_next": "back from the next layer",
        "dense_example": "numbers: the example of ch3_dense_layer.py, N = {N}, D = {D}, M = {M}",
        "batch_sum": "summed over the batch:\n{before} → {after}",
        # batchnorm.svg
        "batchnorm_title": "Batch norm of one feature column (training mode): x reaches x̂ along "
                           "three paths",
        "scalar": "scalar",
        "every_entry": "{value} in every entry",
        "bn_example": "numbers: the example of ch4_batchnorm.py, N = {N}, γ = {gamma}, "
                      "β = {beta}, ε = {eps}; vectors rounded",
        "naive": "① alone is the naive gradient that treats μ and σ² as constants",
        "paths": "① directly, ② through μ, ③ through σ²: the three shares add up at x",
        "d_short": "d· stands for ∂L/∂·",
        # residual.svg
        "residual_title": "A residual block: the skip path carries the gradient through unchanged",
        "skip": "skip path: identity",
        "unchanged": "{arrow} g, unchanged",
        "branch": "branch F",
        "residual_numbers": ("W₁ {w1}, W₂ {w2}. In ch4_residual.py, D = H = {width}, and the "
                             "gradient that crosses\na stack of {depth} such blocks reaches the "
                             "input with norm {with_skip}; without skip paths, {without}"),
        "jacobian": ("J = ∂F/∂h = W₂ᵀ diag(relu′(z)) W₁ᵀ: as in Chapter 4, a Jacobian's rows "
                     "belong to the output, its columns to the input"),
        "g_from_next": "g comes back from the layers above",
    },
    "zh": {
        # the legend of every figure
        "value": "值（前向传播）",
        "gradient": "梯度 ∂L/∂·（反向传播）",
        "wire_rule": "每条连线上：先是局部导数，再是 {arrow} 上游梯度 × 局部导数 = 传回给输入的"
                     "那一份",
        "sum_box": "带底色的方框：多条路径传回的梯度在这里相加",
        "separator": "；",
        "d_is": "每条连线上：它所传递数组的形状；d· 表示 ∂L/∂·",
        "wire_shape_rule": "每条连线上：传递的形状、局部导数，再是 {arrow} 传回给输入的那一份",
        "same_shape": "梯度与它所属的数组形状相同",
        # roles of the boxes
        "input": "输入",
        "weight": "权重",
        "bias": "偏置",
        "target": "目标",
        "loss": "损失",
        "constant": "常数：没有梯度",
        "seed": "{grad}（初始梯度）",
        # neuron.svg
        "neuron_title": "第 1 章的神经元：前向传播与反向传播",
        # fanout.svg
        "fanout_title": "x 被使用了两次：两条路径传回的梯度相加",
        "share": "路径 {n} 传回的一份",
        # dense.svg
        "dense_title": "全连接层：前向传播、缓存与反向传播",
        "dense_forward": "前向传播",
        "dense_backward": "反向传播",
        "cache": "缓存",
        "cache_note": "前向传播存下，供反向传播使用",
        "to_next": "传给下一层",
        "from_next": "从下一层传回",
        "dense_example": "数值：ch3_dense_layer.py 中的例子，N = {N}，D = {D}，M = {M}",
        "batch_sum": "对批量求和：\n{before} → {after}",
        # batchnorm.svg
        "batchnorm_title": "单个特征列的批量归一化（训练模式）：x 经三条路径到达 x̂",
        "scalar": "标量",
        "every_entry": "每个元素都是 {value}",
        "bn_example": "数值：ch4_batchnorm.py 中的例子，N = {N}，γ = {gamma}，β = {beta}，"
                      "ε = {eps}；向量已舍入",
        "naive": "只取 ①，就是把 μ 和 σ² 当作常数的朴素梯度",
        "paths": "① 直接到达，② 经过 μ，③ 经过 σ²：三份梯度在 x 处相加",
        "d_short": "d· 表示 ∂L/∂·",
        # residual.svg
        "residual_title": "残差块：跳跃连接把梯度原样传回",
        "skip": "跳跃连接：恒等映射",
        "unchanged": "{arrow} g，原样传回",
        "branch": "分支 F",
        "residual_numbers": ("W₁ {w1}，W₂ {w2}。ch4_residual.py 中 D = H = {width}；梯度穿过 "
                             "{depth} 个这样的块，\n到达输入时范数为 {with_skip}；没有跳跃连接"
                             "时为 {without}"),
        "jacobian": ("J = ∂F/∂h = W₂ᵀ diag(relu′(z)) W₁ᵀ：与第 4 章一致，"
                     "雅可比矩阵的行对应输出，列对应输入"),
        "g_from_next": "g 从上面的层传回",
    },
}

# The reader's browser draws the text of an SVG; nothing is embedded. English: fonts every
# browser has. Chinese: a CJK font first (Linux, macOS, Windows), so that Graphviz measures
# the labels with the font the browser will use (Noto Sans CJK SC: fonts-noto-cjk).
FONTS = {"en": "Helvetica,Arial,sans-serif",
         "zh": "Noto Sans CJK SC,PingFang SC,Microsoft YaHei,sans-serif"}
# Within a label, runs of Chinese characters and full-width punctuation are set in the CJK
# fonts, everything else in the Latin ones, in every language: a CJK font draws ∂, · and ‖
# full-width, which would pull a formula apart.
LATIN = FONTS["en"]
NO_CJK_FONT = ("Chinese figures need a CJK font: install fonts-noto-cjk "
               "(apt-get install fonts-noto-cjk)")
HAN = re.compile("([\u2e80-\u2fff\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+)")
VALUE = "#1a4fa0"                     # forward values: blue
GRAD = "#b4232a"                      # gradients: red
MUTED = "#5b6170"                     # roles, constants, notes
INK = "#1f2430"                       # names and formulas
BOX = "#f3f5f9"                       # fill of an ordinary box
SUM = "#fff1d6"                       # fill of a box where gradients add
EDGE = "#7a8294"
CHIP, CHIP_LINE = "#fbfbfd", "#dde1e8"  # the faint frame of a wire's label
SIZE = 13                             # points: boxes
SMALL = 11                            # points: wires and notes
UP = "↑"                              # the backward direction: the graphs run top down


# --------------------------------------------------------------------------------------
# The scripts the numbers come from, and how numbers are written.
# --------------------------------------------------------------------------------------


@functools.cache
def script(stem: str):
    """The course script ``course/code/<stem>.py``, imported once, its printing silenced."""
    if str(ROOT) not in sys.path:  # the scripts import the autograder package
        sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location(f"_graphs_{stem}", HERE / f"{stem}.py")
    module = importlib.util.module_from_spec(spec)
    with contextlib.redirect_stdout(io.StringIO()):
        spec.loader.exec_module(module)
    return module


def num(value: float, digits: int = 6) -> str:
    """``value`` rounded to ``digits`` decimals, trailing zeros dropped, with a real minus."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace("-", "−")


def fixed(value: float, digits: int = 4) -> str:
    """``value`` with exactly ``digits`` decimals (as the pages print vectors)."""
    return f"{value:.{digits}f}".replace("-", "−")


def vec(values, digits: int = 4) -> str:
    """A vector ``(N,)`` as ``(a, b, …)``, each entry with ``digits`` decimals."""
    return "(" + ", ".join(fixed(v, digits) for v in values) + ")"


def sci(value: float, digits: int = 1) -> str:
    """``value`` in scientific notation as the pages write it: ``3.3 × 10⁻²⁴``."""
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    power = str(int(exponent)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{num(float(mantissa), digits)} × 10{power}"


def dims(*sizes) -> str:
    """A shape as the pages write it: ``(N, D)``, ``(M,)``."""
    return "(" + ", ".join(map(str, sizes)) + ("," if len(sizes) == 1 else "") + ")"


# --------------------------------------------------------------------------------------
# Graphviz building blocks (labels are Graphviz's HTML-like labels).
# --------------------------------------------------------------------------------------


def runs(text: str) -> list[str]:
    """``text`` cut where it changes between Chinese and Latin, each cut's spaces a run of
    their own: Graphviz draws each run as an SVG <text> where the one before it ends, and a
    browser drops the spaces at the ends of a <text>. A text without Chinese is one run."""
    if not HAN.search(text):
        return [text]
    out = []
    for run in HAN.split(text):
        out += [part for part in re.fullmatch(r"( *)(.*?)( *)", run).groups() if part]
    return out


def font(text: str, colour: str = INK, size: int = SIZE, bold: bool = False) -> str:
    """``text`` in a colour and size; its Chinese runs in the CJK fonts, the rest (formulas,
    numbers, names, English) in the Latin fonts, in every language."""
    body = "".join(f'<FONT FACE="{FONTS["zh"] if HAN.fullmatch(run) else LATIN}">'
                   f'{html.escape(run, quote=False)}</FONT>' for run in runs(text))
    if bold:
        body = f"<B>{body}</B>"
    return f'<FONT COLOR="{colour}" POINT-SIZE="{size}">{body}</FONT>'


def rows(*cells: str, chip: bool = False) -> str:
    """An HTML-like label: the non-empty ``cells`` (marked up already) one under another;
    a ``chip`` has a faint frame, so that a wire's label reads as one piece."""
    body = "".join(f"<TR><TD>{cell}</TD></TR>" for cell in cells if cell)
    frame = (f'BORDER="1" STYLE="ROUNDED" COLOR="{CHIP_LINE}" BGCOLOR="{CHIP}" CELLPADDING="2"'
             if chip else 'BORDER="0" CELLPADDING="1"')
    return f'<<TABLE {frame} CELLBORDER="0" CELLSPACING="0">{body}</TABLE>>'


def matrix(values, colour: str) -> str:
    """A matrix ``(R, C)`` or a vector ``(C,)`` as a table between thin brackets."""
    grid = np.atleast_2d(values)
    bracket = 'BORDER="1" CELLPADDING="0" WIDTH="4" HEIGHT="18" FIXEDSIZE="TRUE"'
    out = []
    for i, row in enumerate(grid):
        ends = ("T" if i == 0 else "") + ("B" if i == len(grid) - 1 else "")
        numbers = "".join(f'<TD ALIGN="RIGHT">{font(num(v, 4), colour, SMALL + 1)}</TD>'
                          for v in row)
        out.append(f'<TR><TD SIDES="L{ends}" {bracket}></TD>{numbers}'
                   f'<TD SIDES="R{ends}" {bracket}></TD></TR>')
    inner = (f'<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" '
             f'COLOR="{colour}">{"".join(out)}</TABLE>')
    # empty cells either side keep the matrix from stretching to the width of its box
    return f'<TABLE BORDER="0" CELLSPACING="0"><TR><TD></TD><TD>{inner}</TD><TD></TD></TR></TABLE>'


def new_graph(name: str, lang: str, title: str, *notes: str,
              rankdir: str = "TB") -> graphviz.Digraph:
    """An empty figure in ``lang``: white background, its fonts, the title and the colour
    legend on top."""
    family = FONTS[lang]
    g = graphviz.Digraph(name, format="svg", engine="dot")
    g.attr(rankdir=rankdir, bgcolor="white", fontname=family, fontsize=str(SIZE), pad="0.25",
           nodesep="0.5", ranksep="0.5", labelloc="t", labeljust="c", newrank="true",
           label=legend(LABELS[lang], title, *notes))
    g.attr("node", shape="box", style="rounded,filled", fillcolor=BOX, color="#9aa3b2",
           fontname=family, fontsize=str(SIZE), margin="0.14,0.06", penwidth="1.2")
    g.attr("edge", color=EDGE, fontname=family, fontsize=str(SMALL), arrowsize="0.7",
           penwidth="1.2")
    return g


def legend(t: dict[str, str], title: str, *notes: str) -> str:
    """The graph's own label: title, the two colours (named from the table ``t`` of one
    language), one line per note."""
    out = [f'<TR><TD COLSPAN="2">{font(title, bold=True, size=SIZE + 2)}</TD></TR>',
           f'<TR><TD>{font("■ " + t["value"], VALUE, SMALL + 1)}</TD>'
           f'<TD>{font("■ " + t["gradient"], GRAD, SMALL + 1)}</TD></TR>']
    out += [f'<TR><TD COLSPAN="2">{font(line, MUTED, SMALL)}</TD></TR>'
            for note in notes for line in note.split("\n")]
    return f'<<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="1">{"".join(out)}</TABLE>>'


def box(g, key: str, name: str, value: str = "", *grad: str, role: str = "",
        grad_colour: str = GRAD, **attrs) -> None:
    """A quantity: its name or formula, its role, its value and its gradient (one line
    per item of ``grad``)."""
    g.node(key, rows(font(name, bold=True), font(role, MUTED, SMALL) if role else "",
                     font(value, VALUE) if value else "",
                     *(font(line, grad_colour) for line in grad)), **attrs)


def wire(g, tail: str, head: str, *lines: tuple[str, str], **attrs) -> None:
    """An edge labelled with ``lines`` of ``(text, colour)``."""
    label = (rows(*(font(text, colour, SMALL) for text, colour in lines), chip=True)
             if lines else None)
    g.edge(tail, head, label=label, **attrs)


def share(derivative: str, upstream: str, factor: str, downstream: str, arrow: str = UP):
    """The red lines of a wire: the local derivative, then upstream × local = share."""
    return ((derivative, GRAD), (f"{arrow} {upstream} × {factor}", GRAD),
            (f"= {downstream}", GRAD))


def same_rank(g, *keys: str) -> None:
    with g.subgraph() as rank:
        rank.attr(rank="same")
        for key in keys:
            rank.node(key)


# --------------------------------------------------------------------------------------
# 1. neuron.svg — ch1_chain_rule.py
# --------------------------------------------------------------------------------------


def neuron_numbers() -> dict[str, float]:
    """The neuron's values and gradients, all scalars, by the script's names. ``dL_dx``
    is the one the script leaves out (x is data): ``∂L/∂z · ∂z/∂x = ∂L/∂z · w``."""
    m = script("ch1_chain_rule")
    keys = ("x", "w", "b", "t", "z", "a", "L", "dL_da", "da_dz", "dL_dz", "dL_dw", "dL_db")
    numbers = {key: float(getattr(m, key)) for key in keys}
    numbers["dL_dx"] = numbers["dL_dz"] * numbers["w"]
    return numbers


def neuron_graph(lang: str = "en") -> graphviz.Digraph:
    t = LABELS[lang]
    n = {key: num(value) for key, value in neuron_numbers().items()}
    g = new_graph("neuron", lang, t["neuron_title"], t["wire_rule"].format(arrow=UP))
    g.attr(nodesep="0.7")
    for key in ("x", "w", "b"):
        role = {"x": "input", "w": "weight", "b": "bias"}[key]
        box(g, key, key, n[key], f"∂L/∂{key} = {n['dL_d' + key]}", role=t[role])
    box(g, "z", "z = w·x + b", n["z"], f"∂L/∂z = {n['dL_dz']}")
    box(g, "a", "a = tanh z", n["a"], f"∂L/∂a = {n['dL_da']}")
    box(g, "t", "t", n["t"], t["constant"], role=t["target"], grad_colour=MUTED)
    box(g, "L", "L = (a − t)²", n["L"], t["seed"].format(grad="∂L/∂L = 1"),
        role=t["loss"])
    wire(g, "x", "z", *share(f"∂z/∂x = w = {n['w']}", n["dL_dz"], n["w"], n["dL_dx"]))
    wire(g, "w", "z", *share(f"∂z/∂w = x = {n['x']}", n["dL_dz"], n["x"], n["dL_dw"]))
    wire(g, "b", "z", *share("∂z/∂b = 1", n["dL_dz"], "1", n["dL_db"]))
    wire(g, "z", "a", *share(f"∂a/∂z = 1 − a² = {n['da_dz']}", n["dL_da"], n["da_dz"],
                             n["dL_dz"]))
    wire(g, "a", "L", *share(f"∂L/∂a = 2(a − t) = {n['dL_da']}", "1", n["dL_da"],
                             n["dL_da"]))
    wire(g, "t", "L")
    same_rank(g, "a", "t")
    return g


# --------------------------------------------------------------------------------------
# 2. fanout.svg — ch3_graph.py
# --------------------------------------------------------------------------------------


def fanout_numbers() -> dict[str, float]:
    """Values and gradients of the fan-out graph, all scalars, by the script's names, plus
    ``share_u``/``share_v``: what the paths through u and v send back to x."""
    m = script("ch3_graph")
    keys = ("x", "w1", "w2", "t", "u", "a", "v", "s", "L", "dL_ds", "dL_da", "dL_dv",
            "dL_du", "dL_dw1", "dL_dw2", "dL_dx")
    numbers = {key: float(getattr(m, key)) for key in keys}
    numbers["dtanh"] = 1 - numbers["a"] ** 2          # tanh'(u), from the cached a
    numbers["share_u"] = numbers["dL_du"] * numbers["w1"]
    numbers["share_v"] = numbers["dL_dv"] * numbers["w2"]
    return numbers


def fanout_graph(lang: str = "en") -> graphviz.Digraph:
    t = LABELS[lang]
    n = {key: num(value) for key, value in fanout_numbers().items()}
    g = new_graph("fanout", lang, t["fanout_title"], t["wire_rule"].format(arrow=UP),
                  t["sum_box"])
    box(g, "w1", "w₁", n["w1"], f"∂L/∂w₁ = {n['dL_dw1']}", role=t["weight"])
    box(g, "x", "x", n["x"], f"∂L/∂x = {n['share_u']} + {n['share_v']}", f"= {n['dL_dx']}",
        role=t["input"], fillcolor=SUM, penwidth="2")
    box(g, "w2", "w₂", n["w2"], f"∂L/∂w₂ = {n['dL_dw2']}", role=t["weight"])
    box(g, "u", "u = w₁·x", n["u"], f"∂L/∂u = {n['dL_du']}")
    box(g, "v", "v = w₂·x", n["v"], f"∂L/∂v = {n['dL_dv']}")
    box(g, "a", "a = tanh u", n["a"], f"∂L/∂a = {n['dL_da']}")
    box(g, "s", "s = a + v", n["s"], f"∂L/∂s = {n['dL_ds']}")
    box(g, "t", "t", n["t"], t["constant"], role=t["target"], grad_colour=MUTED)
    box(g, "L", "L = (s − t)²", n["L"], t["seed"].format(grad="∂L/∂L = 1"),
        role=t["loss"])
    for path, (head, weight) in enumerate((("u", "w1"), ("v", "w2")), start=1):
        w = "w₁" if weight == "w1" else "w₂"
        wire(g, "x", head, *share(f"∂{head}/∂x = {w} = {n[weight]}", n["dL_d" + head],
                                  n[weight], n["share_" + head]),
             (t["share"].format(n=path), GRAD), penwidth="2", color=GRAD)
        wire(g, weight, head, *share(f"∂{head}/∂{w} = x = {n['x']}", n["dL_d" + head],
                                     n["x"], n["dL_d" + weight]))
    wire(g, "u", "a", *share(f"∂a/∂u = 1 − a² = {n['dtanh']}", n["dL_da"], n["dtanh"],
                             n["dL_du"]))
    wire(g, "a", "s", *share("∂s/∂a = 1", n["dL_ds"], "1", n["dL_da"]))
    wire(g, "v", "s", *share("∂s/∂v = 1", n["dL_ds"], "1", n["dL_dv"]))
    wire(g, "s", "L", *share(f"∂L/∂s = 2(s − t) = {n['dL_ds']}", "1", n["dL_ds"],
                             n["dL_ds"]))
    wire(g, "t", "L")
    same_rank(g, "w1", "x")
    same_rank(g, "u", "w2")
    same_rank(g, "a", "v")
    same_rank(g, "s", "t")
    return g


# --------------------------------------------------------------------------------------
# 3. dense.svg — ch3_dense_layer.py
# --------------------------------------------------------------------------------------


def dense_numbers() -> dict[str, np.ndarray]:
    """The layer's arrays by the script's names: x (N, D), W (D, M), b (M,), out (N, M),
    dout (N, M), and the gradients dx (N, D), dW (D, M), db (M,)."""
    m = script("ch3_dense_layer")
    return {"x": m.x, "W": m.W, "b": m.b, "out": m.x @ m.W + m.b, "dout": m.dout,
            "dx": m.gx, "dW": m.gW, "db": m.gb}


def dense_graph(lang: str = "en") -> graphviz.Digraph:
    t = LABELS[lang]
    a = dense_numbers()
    (N, D), M = a["x"].shape, a["W"].shape[1]
    g = new_graph("dense", lang, t["dense_title"], t["d_is"], t["same_shape"],
                  t["dense_example"].format(N=N, D=D, M=M), rankdir="LR")
    g.attr(nodesep="0.3", ranksep="0.35")

    def array(key, name, colour, role=""):
        notes = [font(line, MUTED, SMALL) for line in role.split("\n") if line]
        g.node(key, rows(font(name, bold=True), *notes, matrix(a[key], colour)))

    def edge(tail, head, symbols, colour, **attrs):
        sizes = dims(*(dict(N=N, D=D, M=M)[symbol] for symbol in symbols))
        wire(g, tail, head, (f"{dims(*symbols)} = {sizes}", colour), color=colour, **attrs)

    array("x", "x", VALUE, t["input"])
    array("W", "W", VALUE, t["weight"])
    array("b", "b", VALUE, t["bias"])
    array("out", "out", VALUE, t["to_next"])
    array("dout", "dout", GRAD, t["from_next"])
    array("dx", "dx = dout @ Wᵀ", GRAD, f"{dims('N', 'M')} @ {dims('M', 'D')}")
    array("dW", "dW = xᵀ @ dout", GRAD, f"{dims('D', 'N')} @ {dims('N', 'M')}")
    array("db", "db = Σₙ dout", GRAD, t["batch_sum"].format(
        before=dims("N", "M"), after=dims("M")))
    g.node("fwd", rows(font(t["dense_forward"], MUTED, SMALL),
                       font("out = x @ W + b", bold=True)), style="filled,rounded",
           fillcolor="#e7edf8", color=VALUE)
    g.node("bwd", rows(font(t["dense_backward"], MUTED, SMALL),
                       font("dout ↦ dx, dW, db", bold=True)), style="filled,rounded",
           fillcolor="#f9e9e9", color=GRAD)
    g.node("cache", rows(font(t["cache"], bold=True),
                         font(f"x {dims('N', 'D')}, W {dims('D', 'M')}", INK, SMALL),
                         font(t["cache_note"], MUTED, SMALL)),
           shape="cylinder", style="filled", fillcolor="#eeeff2", color="#8a8f99")
    for key, symbols in (("x", "ND"), ("W", "DM"), ("b", "M")):
        edge(key, "fwd", symbols, VALUE)
    edge("fwd", "out", "NM", VALUE)
    for key, symbols in (("dx", "ND"), ("dW", "DM"), ("db", "M")):
        edge(key, "bwd", symbols, GRAD, dir="back")       # drawn from bwd to key
    edge("bwd", "dout", "NM", GRAD, dir="back")
    g.edge("fwd", "cache", style="dashed", color="#8a8f99")
    g.edge("cache", "bwd", style="dashed", color="#8a8f99")
    same_rank(g, "fwd", "cache", "bwd")
    same_rank(g, "out", "dout")
    inputs = ("x", "W", "b", "dx", "dW", "db")
    same_rank(g, *inputs)
    for upper, lower in zip(inputs, inputs[1:]):                # keep this order, top down
        g.edge(upper, lower, style="invis")
    return g


# --------------------------------------------------------------------------------------
# 4. batchnorm.svg — ch4_batchnorm.py
# --------------------------------------------------------------------------------------


def batchnorm_numbers() -> dict[str, np.ndarray | float]:
    """Forward and backward of one feature column, by the chapter's symbols.

    Vectors ``(N,)``: x, xhat, out, dout, dxhat and the three shares of dx — ``direct``
    (①, through x̂ alone), ``via_var`` (②, through σ²), ``via_mean`` (③, through μ) — and
    their sum dx. Scalars: gamma, beta, eps, mu, var, s = √(σ² + ε) (the chapter's s, the
    standard deviation), and the gradients dgamma, dbeta, ds, dvar, dmu.
    """
    m = script("ch4_batchnorm")
    x, dout, gamma, beta, eps = m.x, m.dout, m.gamma, m.beta, m.eps
    n = len(x)
    mu = x.mean()
    var = np.mean((x - mu) ** 2)
    s = np.sqrt(var + eps)
    xhat = (x - mu) / s
    dxhat = gamma * dout
    ds = -np.sum(dxhat * (x - mu)) / s**2
    dvar = ds / (2 * s)
    dmu = -np.sum(dxhat) / s          # σ²'s own share, dvar·(−2/N)·Σ(x − μ), is 0
    direct = dxhat / s
    via_var = dvar * 2 * (x - mu) / n
    via_mean = np.full(n, dmu / n)
    return {"x": x, "dout": dout, "gamma": gamma, "beta": beta, "eps": eps, "mu": mu,
            "var": var, "s": s, "xhat": xhat, "out": gamma * xhat + beta, "dxhat": dxhat,
            "dgamma": np.sum(dout * xhat), "dbeta": np.sum(dout), "ds": ds, "dvar": dvar,
            "dmu": dmu, "direct": direct, "via_var": via_var, "via_mean": via_mean,
            "dx": direct + via_var + via_mean}


def batchnorm_graph(lang: str = "en") -> graphviz.Digraph:
    t = LABELS[lang]
    b = batchnorm_numbers()
    N = len(b["x"])
    vector, scalar = dims("N"), t["scalar"]
    g = new_graph("batchnorm", lang, t["batchnorm_title"], t["paths"], t["naive"],
                  t["wire_shape_rule"].format(arrow=UP) + t["separator"] + t["d_short"],
                  t["sum_box"],
                  t["bn_example"].format(N=N, gamma=num(b["gamma"]),
                                              beta=num(b["beta"]), eps=sci(b["eps"], 0)))
    box(g, "x", "x", vec(b["x"], 1), "dx = ① + ② + ③", f"= {vec(b['dx'])}",
        role=t["input"], fillcolor=SUM, penwidth="2")
    box(g, "mu", "μ = mean(x)", num(b["mu"], 4), f"dμ = {num(b['dmu'], 4)}")
    box(g, "var", "σ² = mean((x − μ)²)", num(b["var"], 4), f"dσ² = {num(b['dvar'], 4)}")
    box(g, "s", "s = √(σ² + ε)", num(b["s"], 4), f"ds = {num(b['ds'], 4)}")
    box(g, "xhat", "x̂ = (x − μ) / s", vec(b["xhat"], 2), f"dx̂ = {vec(b['dxhat'], 2)}")
    box(g, "gamma", "γ", num(b["gamma"]), f"dγ = {num(b['dgamma'], 4)}",
        role=t["weight"])
    box(g, "beta", "β", num(b["beta"]), f"dβ = {num(b['dbeta'], 4)}", role=t["bias"])
    box(g, "out", "out = γ·x̂ + β", vec(b["out"], 2), f"dout = {vec(b['dout'], 1)}")

    def edge(tail, head, size, derivative, *back, **attrs):
        wire(g, tail, head, (size, VALUE), (derivative, GRAD),
             *((text, GRAD) for text in back), **attrs)

    bold = {"penwidth": "2", "color": GRAD}
    edge("x", "xhat", vector, "∂x̂ₙ/∂xₙ = 1/s", f"① {UP} dx̂ / s", vec(b["direct"]), **bold)
    edge("x", "mu", vector, "∂μ/∂xₙ = 1/N", f"② {UP} dμ / N",
         t["every_entry"].format(value=fixed(b["via_mean"][0])), **bold)
    edge("x", "var", vector, "∂σ²/∂xₙ = 2(xₙ − μ)/N", f"③ {UP} dσ² · 2(x − μ)/N",
         vec(b["via_var"]), **bold)
    edge("mu", "var", scalar, "∂σ²/∂μ = −(2/N) Σ(x − μ) = 0", f"{UP} 0")
    edge("mu", "xhat", scalar, "∂x̂ₙ/∂μ = −1/s", f"{UP} −Σ dx̂ / s")
    edge("var", "s", scalar, "∂s/∂σ² = 1/(2s)", f"{UP} ds / (2s)")
    edge("s", "xhat", scalar, "∂x̂ₙ/∂s = −(xₙ − μ)/s²", f"{UP} −Σ dx̂ · (x − μ)/s²")
    edge("xhat", "out", vector, "∂outₙ/∂x̂ₙ = γ", f"{UP} γ · dout")
    edge("gamma", "out", scalar, "∂outₙ/∂γ = x̂ₙ", f"{UP} Σ dout · x̂")
    edge("beta", "out", scalar, "∂outₙ/∂β = 1", f"{UP} Σ dout")
    same_rank(g, "xhat", "gamma", "beta")
    g.node("x", ordering="out")
    return g


# --------------------------------------------------------------------------------------
# 5. residual.svg — ch4_residual.py
# --------------------------------------------------------------------------------------


def residual_numbers() -> dict[str, float | int]:
    """The script's sizes (``width`` = D = H, ``depth`` blocks) and the norm of the
    gradient reaching the input of its stack with (``with_skip``) and without
    (``without``) skip paths."""
    m = script("ch4_residual")
    return {"width": m.width, "depth": m.depth, "with_skip": m.residual[0],
            "without": m.plain[0]}


def residual_graph(lang: str = "en") -> graphviz.Digraph:
    t = LABELS[lang]
    r = residual_numbers()
    d, hidden = dims("D"), dims("H")
    g = new_graph("residual", lang, t["residual_title"], t["jacobian"],
                  t["wire_shape_rule"].format(arrow=UP), t["sum_box"],
                  t["residual_numbers"].format(
                      w1=dims("D", "H"), w2=dims("H", "D"), depth=r["depth"],
                      width=r["width"], with_skip=num(r["with_skip"], 2),
                      without=sci(r["without"])))
    box(g, "h", "h", "", "∂L/∂h = g + Jᵀ g", role=t["input"], fillcolor=SUM,
        penwidth="2")
    with g.subgraph(name="cluster_branch") as branch:
        branch.attr(label=rows(font(t["branch"], MUTED, SMALL)), style="dashed,rounded",
                    color="#b8bec9", labeljust="l")
        box(branch, "z", "z = h W₁ + b₁", "", "∂L/∂z = relu′(z) ⊙ W₂ g")
        box(branch, "r", "r = relu(z)", "", "∂L/∂r = W₂ g")
        box(branch, "F", "F(h) = r W₂ + b₂", "", "∂L/∂F = g")
    box(g, "out", "out = h + F(h)", "", "∂L/∂out = g", role=t["g_from_next"])

    def edge(tail, head, size, derivative, back, *extra, **attrs):
        wire(g, tail, head, *extra, (size, VALUE), (derivative, GRAD),
             (f"{UP} {back}", GRAD), **attrs)

    edge("h", "z", d, "∂z/∂h = W₁ᵀ", "W₁ (relu′(z) ⊙ W₂ g) = Jᵀ g")
    edge("z", "r", hidden, "∂r/∂z = diag(relu′(z))", "relu′(z) ⊙ W₂ g")
    edge("r", "F", hidden, "∂F/∂r = W₂ᵀ", "W₂ g")
    edge("F", "out", d, "∂out/∂F = I", "g")
    wire(g, "h", "out", (t["skip"], INK), (d, VALUE), ("∂out/∂h = I", GRAD),
         (t["unchanged"].format(arrow=UP), GRAD), penwidth="2.4", color=GRAD)
    return g


# --------------------------------------------------------------------------------------
# The figures, and the check that they say what the scripts say.
# --------------------------------------------------------------------------------------

FIGURES = {
    "neuron.svg": neuron_graph,
    "fanout.svg": fanout_graph,
    "dense.svg": dense_graph,
    "batchnorm.svg": batchnorm_graph,
    "residual.svg": residual_graph,
}

_COMMENT = re.compile(rb"<!--.*?-->\s*", re.S)
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>]*>\s*", re.S)


def svg(graph: graphviz.Digraph) -> bytes:
    """``graph`` as SVG without Graphviz's comments (they name its version) and DOCTYPE
    (a URL): the same bytes on every build with the same Graphviz."""
    return _DOCTYPE.sub(b"", _COMMENT.sub(b"", graph.pipe(format="svg")))


def render_all(lang: str = "en") -> dict[str, bytes]:
    """``{file name: SVG bytes}`` for every graph figure of the site, in ``lang`` ("en" or
    "zh"); the file names are the same in every language."""
    if lang not in LABELS:
        raise ValueError(f"no figures in {lang!r}: the languages are {', '.join(LABELS)}")
    if shutil.which("dot") is None:
        raise RuntimeError("Graphviz's `dot` program is not on PATH: install Graphviz "
                           "(Debian/Ubuntu: `apt-get install graphviz`)")
    if lang == "zh" and not has_font(FONTS["zh"].split(",")[0]):
        raise RuntimeError(NO_CJK_FONT)
    return {name: svg(make(lang)) for name, make in FIGURES.items()}


def has_font(family: str) -> bool:
    """Whether fontconfig, with which Graphviz measures the labels, has ``family``: without
    it the Chinese labels would be laid out at the widths of some other font."""
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", f":family={family}", "family"], capture_output=True,
                           text=True, check=False)
    return bool(found.stdout.strip())


def svg_texts(data: bytes) -> list[tuple[str, str, str]]:
    """``(text, y, font family)`` of each of an SVG's ``<text>`` elements, in order (parsing
    it checks that it is well-formed XML)."""
    root = ElementTree.fromstring(data)
    return [("".join(node.itertext()), node.get("y"), node.get("font-family"))
            for node in root.iter("{http://www.w3.org/2000/svg}text")]


def svg_text(data: bytes) -> str:
    """The text of an SVG, one line per ``<text>`` element, except that the runs Graphviz
    draws one after the other to mix Chinese and Latin fonts in a line are joined again."""
    lines, last = [], ("", None)
    for text, y, _ in svg_texts(data):
        if lines and y == last[1] and any(HAN.search(run) or not run.strip()
                                          for run in (text, last[0])):
            lines[-1] += text
        else:
            lines.append(text)
        last = text, y
    return "\n".join(lines)


def close(shown: str, value: float, digits: int) -> bool:
    """A label (written by :func:`num` or :func:`fixed`) is ``value`` rounded to ``digits``
    decimals: it differs by at most half a unit in the last place (plus float noise)."""
    return abs(float(shown.replace("−", "-")) - value) <= 0.5 * 10.0**-digits + 1e-12


def check_numbers():
    """The numbers on the figures are those of the scripts, and they add up."""
    m = script("ch1_chain_rule")
    n = neuron_numbers()
    for key, value in n.items():
        if key != "dL_dx":
            assert close(num(value), float(getattr(m, key)), 6), key
    assert abs(n["dL_dz"] - n["dL_da"] * n["da_dz"]) < 1e-12
    numeric = m.central(lambda v: m.loss(m.w, m.b, x=v), m.x)
    assert abs(numeric - n["dL_dx"]) < 1e-8      # the one gradient the script leaves out

    f, g = fanout_numbers(), script("ch3_graph")
    for key in ("u", "a", "v", "s", "L", "dL_ds", "dL_du", "dL_dw1", "dL_dw2", "dL_dx"):
        assert close(num(f[key]), float(getattr(g, key)), 6), key
    assert abs(f["share_u"] + f["share_v"] - g.dL_dx) < 1e-12
    # the sum printed in the x box holds for the printed (rounded) numbers too
    printed = [float(num(f[key]).replace("−", "-")) for key in ("share_u", "share_v", "dL_dx")]
    assert abs(printed[0] + printed[1] - printed[2]) < 1e-9
    assert abs(f["dL_du"] - f["dL_da"] * f["dtanh"]) < 1e-12

    d, h = dense_numbers(), script("ch3_dense_layer")
    assert d["x"].shape == (2, 3) and d["W"].shape == (3, 2) and d["b"].shape == (2,)
    for key, want in zip(("dx", "dW", "db"), h.gradients_by_einsum(h.x, h.W, h.dout)):
        assert d[key].shape == want.shape and np.allclose(d[key], want), key
    assert np.allclose(d["dx"], d["dout"] @ d["W"].T) and np.allclose(d["dW"], d["x"].T @ d["dout"])
    assert np.allclose(d["db"], d["dout"].sum(axis=0))

    b, k = batchnorm_numbers(), script("ch4_batchnorm")
    assert abs(b["s"] - k.sigma) < 1e-12 and np.allclose(b["xhat"], k.x_hat)
    assert np.allclose(b["direct"], k.naive)             # ① alone: the naive gradient
    assert np.allclose(b["dx"], k.numeric, atol=1e-6)    # ① + ② + ③: the measured one
    assert abs(b["dx"].sum()) < 1e-10

    r, res = residual_numbers(), script("ch4_residual")
    assert close(num(r["with_skip"], 2), res.residual[0], 2)
    mantissa, power = sci(r["without"]).split(" × 10")
    shown = float(mantissa) * 10.0 ** int(power.translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹",
                                                                        "-0123456789")))
    assert abs(shown / res.plain[0] - 1) < 0.05       # two significant digits
    # the branch's shares, multiplied out wire by wire, are Jᵀ g
    W1, b1, W2, _ = res.blocks[0]
    rng = np.random.default_rng(0)
    state, grad = rng.normal(size=res.width), rng.normal(size=res.width)
    slope = (state @ W1 + b1 > 0).astype(float)
    assert np.allclose(W1 @ (slope * (W2 @ grad)), res.branch_jacobian(state, W1, b1, W2) @ grad)


def expected_text(lang: str = "en") -> dict[str, list[str]]:
    """For each figure, label texts its SVG in ``lang`` must contain."""
    t = LABELS[lang]
    n, f, d = neuron_numbers(), fanout_numbers(), dense_numbers()
    b, r = batchnorm_numbers(), residual_numbers()
    shapes = [f"{dims('N', 'D')} = (2, 3)", f"{dims('D', 'M')} = (3, 2)",
              f"{dims('M')} = (2,)", f"{dims('N', 'M')} = (2, 2)"]
    legend_lines = ["■ " + t["value"], "■ " + t["gradient"]]
    return {
        "neuron.svg": [t["neuron_title"], *legend_lines, t["wire_rule"].format(arrow=UP),
                       t["input"], t["weight"], t["bias"], t["target"], t["loss"],
                       t["constant"], t["seed"].format(grad="∂L/∂L = 1"),
                       *(num(v) for v in n.values())],
        "fanout.svg": [t["fanout_title"], *legend_lines, t["sum_box"],
                       t["share"].format(n=1), t["share"].format(n=2),
                       *(num(v) for v in f.values()),
                       f"∂L/∂x = {num(f['share_u'])} + {num(f['share_v'])}",
                       f"= {num(f['dL_dx'])}"],
        "dense.svg": [t["dense_title"], *legend_lines, t["cache"], t["cache_note"],
                      t["dense_forward"], t["dense_backward"], t["to_next"], t["from_next"],
                      "dx = dout @ Wᵀ", "dW = xᵀ @ dout", "db = Σₙ dout", *shapes,
                      *(num(v, 4) for key in ("x", "W", "b", "out", "dout", "dx", "dW", "db")
                        for v in np.ravel(d[key]))],
        "batchnorm.svg": [t["batchnorm_title"], *legend_lines, t["paths"], t["naive"],
                          t["every_entry"].format(value=fixed(b["via_mean"][0])),
                          "s = √(σ² + ε)", "x̂ = (x − μ) / s",
                          vec(b["dx"]), vec(b["direct"]), vec(b["via_var"]),
                          fixed(b["via_mean"][0]), num(b["mu"], 4), num(b["var"], 4),
                          num(b["s"], 4), dims("N"), t["scalar"]],
        "residual.svg": [t["residual_title"], *legend_lines, t["jacobian"], t["branch"],
                         t["g_from_next"], "∂L/∂h = g + Jᵀ g", t["skip"],
                         t["unchanged"].format(arrow=UP),
                         num(r["with_skip"], 2), sci(r["without"]), dims("D"), dims("H")],
    }


def placeholders(text: str) -> set[str]:
    """The names of the ``{fields}`` of a label."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def numbers(text: str) -> list[str]:
    """The numbers written out in a text, sorted (word order differs between languages)."""
    return sorted(re.findall(r"[0-9]+(?:\.[0-9]+)?", text))


def words(text: str) -> set[str]:
    """The words of two or more Latin letters in a text."""
    return set(re.findall(r"[A-Za-z][A-Za-z0-9_]+", text))


def _around(pos: str, width: str, height: str) -> tuple[float, ...]:
    """The box of a node or label that Graphviz gives by centre and size (in inches)."""
    x, y = map(float, pos.split(","))
    w, h = 36 * float(width), 36 * float(height)               # half the size, in points
    return x - w, y - h, x + w, y + h


def _extent(ops) -> tuple[float, ...]:
    """The box around xdot drawing operations: lines, polygons, curves and text."""
    xs, ys, size = [], [], float(SIZE)
    for op in ops:
        if op["op"] == "F":
            size = op["size"]
        elif op["op"] in ("P", "p", "L", "b", "B"):
            xs += [x for x, _ in op["points"]]
            ys += [y for _, y in op["points"]]
        elif op["op"] == "T":
            (x, y), w = op["pt"], op["width"]
            x0 = {"l": x, "c": x - w / 2, "r": x - w}[op["align"]]
            xs += [x0, x0 + w]
            ys += [y - 0.3 * size, y + 0.9 * size]        # descender, ascender
    return min(xs), min(ys), max(xs), max(ys)


def layout_boxes(graph: graphviz.Digraph) -> list[tuple[str, tuple[float, ...]]]:
    """``(what, (x0, y0, x1, y1))`` in points for everything Graphviz placed that carries
    text: the graph's own label, the labels of the clusters, the boxes and the labels of
    the wires (from ``dot -Tjson``, which measured the text in the figure's font)."""
    layout = json.loads(graph.pipe(format="json"))
    out = []
    for item in (layout, *layout.get("objects", [])):
        if "lp" in item:                                    # the graph's or a cluster's label
            out.append((f"label of {item['name']}",
                        _around(item["lp"], item["lwidth"], item["lheight"])))
        elif "pos" in item and item.get("style") != "invis":
            out.append((f"box {item['name']}",
                        _around(item["pos"], item["width"], item["height"])))
    names = {item["_gvid"]: item["name"] for item in layout.get("objects", [])}
    for edge in layout.get("edges", []):
        if "_ldraw_" in edge:
            out.append((f"label of {names[edge['tail']]} → {names[edge['head']]}",
                        _extent(edge["_ldraw_"])))
    return out


def overlaps(graph: graphviz.Digraph) -> list[tuple[str, str]]:
    """The pairs of labels and boxes of ``graph`` that overlap."""
    return [(a, b) for (a, p), (b, q) in itertools.combinations(layout_boxes(graph), 2)
            if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]]


# the Latin words a Chinese label may have: file and function names
SHARED_WORDS = {"ch3_dense_layer", "ch4_batchnorm", "ch4_residual", "py", "relu", "diag"}


def check_labels():
    """Every language has every label, with the same fields and the same numbers, and the
    Chinese ones no English."""
    for lang, table in LABELS.items():
        assert table.keys() == LABELS["en"].keys(), lang
        for key, text in table.items():
            english = LABELS["en"][key]
            assert placeholders(text) == placeholders(english), (lang, key)
            assert numbers(text) == numbers(english), (lang, key)
            assert text.count("\n") == english.count("\n"), (lang, key)
            latin = words(re.sub(r"\{\w+\}", "", text)) - SHARED_WORDS   # fields aside
            assert lang == "en" or not latin, (lang, key, latin)


def check():
    """The numbers agree with the scripts, and every SVG, in every language, is
    well-formed, self-contained, reproducible, laid out without overlaps and shows what it
    should: the Chinese ones in Chinese, with the same numbers as the English ones."""
    check_numbers()
    check_labels()
    # the words of the English prose must not be on a Chinese figure, not even from a text
    # that is not in the tables
    english = words(" ".join(LABELS["en"].values())) - SHARED_WORDS
    figures = {lang: render_all(lang) for lang in LABELS}
    for lang, drawn in figures.items():
        assert drawn == render_all(lang), f"the {lang} SVGs differ from one rendering to the next"
        assert set(drawn) == set(FIGURES), lang
        for name, want in expected_text(lang).items():
            data = drawn[name]
            text = svg_text(data)               # raises unless well-formed XML
            missing = [label for label in want if label not in text]
            assert not missing, (lang, name, missing)
            assert b"<!--" not in data and b"DOCTYPE" not in data, name
            assert str(ROOT).encode() not in data and b"@font-face" not in data, name
            assert re.search(rb'<polygon fill="white"', data), f"{name}: no white background"
            for line, _, family in svg_texts(data):   # Chinese in CJK fonts, the rest Latin
                assert family == (FONTS["zh"] if HAN.search(line) else LATIN), (name, line)
            assert not overlaps(FIGURES[name](lang)), (lang, name, overlaps(FIGURES[name](lang)))
            if lang != "en":
                assert numbers(text) == numbers(svg_text(figures["en"][name])), (lang, name)
                left = words(text) & english
                assert not left, (lang, name, f"English words left: {sorted(left)}")


def main(argv=None) -> int:
    return write_all(render_all, LABELS, DEFAULT_OUT, argv)


if __name__ == "__main__":
    sys.exit(main())
