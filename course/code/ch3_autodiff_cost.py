"""Chapter 3: forward mode against reverse mode, operations counted and time measured.

f: R^P → R is one neuron with P weights, (tanh(w·x) − t)². Forward mode (dual numbers)
gets one directional derivative per pass, so the whole gradient takes P passes; reverse mode
(the Scalar engine of ch3_autodiff.py) takes one recording forward pass and one backward
pass. ``check()`` asserts the operation counts the page quotes; the times are only printed
(and ``cost_table_markdown()`` returns them for the site build): they depend on the machine.
"""

import gc
import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the engine, from any directory
from ch3_autodiff import Scalar  # noqa: E402

SIZES = (10, 100, 1000)


# --8<-- [start:dual]
class Dual:
    """val + dot·ε with ε² = 0: a value and its derivative along one chosen direction."""

    __slots__ = ("val", "dot")
    ops = 0  # operations executed so far, by all Duals together

    def __init__(self, val, dot=0.0):
        self.val, self.dot = val, dot

    def __add__(self, other):
        Dual.ops += 1
        if isinstance(other, Dual):
            return Dual(self.val + other.val, self.dot + other.dot)
        return Dual(self.val + other, self.dot)  # a constant: derivative 0

    def __sub__(self, other):  # only ever dual − constant here
        Dual.ops += 1
        return Dual(self.val - other, self.dot)

    def __mul__(self, other):  # (a + ȧε)(b + ḃε) = ab + (ȧb + aḃ)ε
        Dual.ops += 1
        if isinstance(other, Dual):
            return Dual(self.val * other.val, self.dot * other.val + self.val * other.dot)
        return Dual(self.val * other, self.dot * other)

    __radd__, __rmul__ = __add__, __mul__

    def __pow__(self, k):
        Dual.ops += 1
        return Dual(self.val**k, k * self.val ** (k - 1) * self.dot)

    def tanh(self):
        Dual.ops += 1
        th = math.tanh(self.val)
        return Dual(th, (1.0 - th * th) * self.dot)
# --8<-- [end:dual]


# --8<-- [start:modes]
def neuron_loss(w, x, t=0.5):
    """(tanh(w·x) − t)² for P weights: P multiplies, P adds, then 3 more operations."""
    z = sum(wi * xi for wi, xi in zip(w, x))
    return (z.tanh() - t) ** 2


def gradient_forward_mode(f, w, x):
    """P passes; pass k seeds ẇ_k = 1 (all other ẇ_i = 0) and reads ∂f/∂w_k off the output."""
    still = [Dual(wi, 0.0) for wi in w]
    grad = []
    for k in range(len(w)):
        seeded = still.copy()
        seeded[k] = Dual(w[k], 1.0)  # move along w_k only
        grad.append(f(seeded, x).dot)
    return grad


def gradient_reverse_mode(f, w, x):
    """One forward pass that records the graph, one backward pass through it."""
    leaves = [Scalar(wi) for wi in w]
    out = f(leaves, x)
    out.backward()
    return [leaf.grad for leaf in leaves], out
# --8<-- [end:modes]


def best_time(fn, budget=0.05):
    """The fastest of as many runs as fit in ``budget`` seconds (at least one), its result
    and the number of runs."""
    best, spent, runs = math.inf, 0.0, 0
    gc.disable()  # as timeit does: no collector pauses inside the timed runs
    try:
        while spent < budget:
            start = time.perf_counter()
            result = fn()
            took = time.perf_counter() - start
            best, spent, runs = min(best, took), spent + took, runs + 1
    finally:
        gc.enable()
    return best, result, runs


def measure(P):
    """Counts (deterministic) and best times (not) of both modes for one size P."""
    rng = random.Random(P)
    x = [rng.uniform(-1.0, 1.0) for _ in range(P)]
    w = [rng.uniform(-1.0, 1.0) / math.sqrt(P) for _ in range(P)]
    Dual.ops = 0
    t_fwd, g_fwd, runs = best_time(lambda: gradient_forward_mode(neuron_loss, w, x))
    forward_ops, leftover = divmod(Dual.ops, runs)  # every run does the same operations
    assert leftover == 0
    t_rev, (g_rev, out), _ = best_time(lambda: gradient_reverse_mode(neuron_loss, w, x))
    t_one, _, _ = best_time(lambda: neuron_loss([Scalar(wi) for wi in w], x))
    nodes = out.graph()
    return {"P": P, "one_pass": sum(1 for n in nodes if n.parents), "forward_ops": forward_ops,
            "backward_steps": sum(len(n.parents) for n in nodes),
            "t_one": t_one, "t_fwd": t_fwd, "t_rev": t_rev, "g_fwd": g_fwd, "g_rev": g_rev,
            "w": w, "x": x}


def cost_rows(sizes=SIZES):
    return [measure(P) for P in sizes]


def counts_table_markdown(rows):
    lines = ["| $P$ | one evaluation of $f$ | forward mode: $P$ passes "
             "| reverse mode: forward + backward | forward ÷ reverse |",
             "|---:|---:|---:|---:|---:|"]
    for r in rows:
        reverse = r["one_pass"] + r["backward_steps"]
        lines.append(f"| {r['P']:,} | {r['one_pass']:,} | {r['forward_ops']:,} "
                     f"| {r['one_pass']:,} + {r['backward_steps']:,} = {reverse:,} "
                     f"| {r['forward_ops'] / reverse:.1f} |")
    return "\n".join(lines)


def duration(seconds):
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    return f"{seconds * 1e3:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


# The caption and the column headings of the measured table, per language of the site.
TIMES_TABLE = {
    "en": ("Measured when this page was built (best of several runs):",
           ("$P$", "one recording forward pass", "forward mode", "reverse mode",
            "forward ÷ reverse", "reverse ÷ one forward pass")),
    "zh": ("本页构建时测得（多次运行取最短时间）：",
           ("$P$", "一次记录式前向传播", "前向模式", "反向模式", "前向 ÷ 反向",
            "反向 ÷ 一次前向传播")),
}


def cost_table_markdown(rows=None, lang="en") -> str:
    """The measured times as markdown, a caption and a table in the language ``lang`` (the
    site build puts it on the page, in place of the marker ``<!-- autodiff-cost-table -->``)."""
    rows = rows or cost_rows()
    caption, headings = TIMES_TABLE[lang]
    lines = [caption, "", "| " + " | ".join(headings) + " |", "|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['P']:,} | {duration(r['t_one'])} | {duration(r['t_fwd'])} "
                     f"| {duration(r['t_rev'])} | {r['t_fwd'] / r['t_rev']:.0f} "
                     f"| {r['t_rev'] / r['t_one']:.1f} |")
    return "\n".join(lines)


def check(rows=None):
    rows = rows or cost_rows()
    for r in rows:
        P = r["P"]
        assert r["one_pass"] == 2 * P + 3 and r["forward_ops"] == P * (2 * P + 3)
        assert r["backward_steps"] == 4 * P + 4  # two parents per + and ×, one or two else
        # both modes agree with each other and with the formula 2(a − t)(1 − a²)·x_i
        a = math.tanh(sum(wi * xi for wi, xi in zip(r["w"], r["x"])))
        exact = [2 * (a - 0.5) * (1 - a * a) * xi for xi in r["x"]]
        for g in (r["g_fwd"], r["g_rev"]):
            assert max(abs(u - v) for u, v in zip(g, exact)) < 1e-12
    assert [(r["P"], r["one_pass"], r["forward_ops"], r["backward_steps"]) for r in rows] == \
        [(10, 23, 230, 44), (100, 203, 20_300, 404), (1000, 2003, 2_003_000, 4004)]
    assert counts_table_markdown(rows).splitlines()[2:] == [
        "| 10 | 23 | 230 | 23 + 44 = 67 | 3.4 |",
        "| 100 | 203 | 20,300 | 203 + 404 = 607 | 33.4 |",
        "| 1,000 | 2,003 | 2,003,000 | 2,003 + 4,004 = 6,007 | 333.4 |"]


if __name__ == "__main__":
    rows = cost_rows()
    print(counts_table_markdown(rows), end="\n\n")
    print(cost_table_markdown(rows))
    check(rows)
