"""The class report's charts, drawn with matplotlib as SVG to put inline in the page.

Each chart is a string of ``<svg>`` markup that needs nothing else: text stays text (the
page's fonts draw it, Chinese included), whatever matplotlib draws black takes the page's
text colour (``currentColor``), so a chart reads in a light page, a dark one and on paper,
and the background is transparent.  The data colours are the Okabe–Ito palette, which
colour-blind readers tell apart and which shows on white and on black alike.  Element ids
get a prefix per chart, so that several charts can share a page.
"""

from __future__ import annotations

import functools
import io
import re
import warnings
from collections.abc import Sequence

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure

FULL, PARTIAL, ZERO = "#009E73", "#E69F00", "#D55E00"  # green, orange, vermilion
DOTS, BOX = "#0072B2", "#56B4E9"  # blue, sky blue
STYLE = {
    "svg.fonttype": "none", "svg.hashsalt": "backprop-report",
    "font.size": 10, "axes.spines.top": False, "axes.spines.right": False,
    "axes.grid": True, "axes.grid.axis": "x", "grid.color": "#808080", "grid.alpha": 0.35,
    "axes.axisbelow": True, "legend.frameon": False,
}
# The page's fonts draw the text; matplotlib only measures it to lay the chart out, with a CJK
# font for Chinese labels when the machine has one (else its widths are estimates).
CJK_FONT = "Noto Sans CJK SC"
WIDTH = 7.5  # inches; a row of a horizontal chart is ROW inches high
ROW = 0.42


@functools.cache
def _fonts() -> list[str]:
    from matplotlib import font_manager
    found = any(CJK_FONT in path for path in font_manager.findSystemFonts())
    if found and CJK_FONT not in {f.name for f in font_manager.fontManager.ttflist}:
        for path in font_manager.findSystemFonts():
            if "NotoSansCJK" in path:
                font_manager.fontManager.addfont(path)
    return ["DejaVu Sans", CJK_FONT] if found else ["DejaVu Sans"]


def _style() -> dict:
    return {**STYLE, "font.family": _fonts()}


def _svg(figure: Figure, name: str, label: str) -> str:
    """``figure`` as inline SVG markup: ids prefixed with ``name``, black as the text
    colour, numbers rounded, described by ``label`` for screen readers."""
    buffer = io.StringIO()
    with warnings.catch_warnings():  # a glyph missing from the fonts that measure the text
        warnings.filterwarnings("ignore", "Glyph .* missing from font")
        figure.savefig(buffer, format="svg", transparent=True, bbox_inches="tight",
                       metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<metadata>.*?</metadata>|<defs>\s*<style.*?</style>\s*</defs>", "", svg,
                 flags=re.S)  # a <style> in inline SVG would style the whole page
    svg = svg.replace("#000000", "currentColor")
    svg = re.sub(r"font-family: [^;\"]*;? ?", "", svg)  # the page's fonts (CSS) instead
    svg = re.sub(r'\b(id=")|(url\(#)|(xlink:href="#)', lambda m: m.group(0) + f"{name}-", svg)
    svg = re.sub(r"(\d+\.\d)\d+", r"\1", svg)
    svg = re.sub(r"[ \t]*\n[ \t]*", "\n", svg)
    label = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" class="chart" ', 1)


def _figure(rows: int) -> tuple[Figure, object]:
    figure = Figure(figsize=(WIDTH, 0.8 + ROW * max(rows, 1)))
    return figure, figure.add_subplot()


def scores(rows: Sequence[tuple[str, Sequence[float]]], *, name: str, label: str,
           axis: str) -> str:
    """The distribution of the scores of each row (an exercise and its scores, in percent
    of the maximum): every submission a dot, the middle half a box, the median a bar."""
    with rc_context(_style()):
        figure, ax = _figure(len(rows))
        for y, (_row, values) in enumerate(rows):
            values = np.asarray(values, dtype=float)
            if values.size:
                q1, median, q3 = np.percentile(values, [25, 50, 75])
                ax.barh(y, q3 - q1, left=q1, height=0.5, color=BOX, alpha=0.45, linewidth=0)
                ax.plot([median, median], [y - 0.3, y + 0.3], color="#000000", linewidth=2)
                jitter = (np.arange(values.size) % 5 - 2) * 0.07
                ax.scatter(values, y + jitter, s=22, color=DOTS, edgecolors="none", zorder=3)
        ax.set_yticks(range(len(rows)), [row for row, _v in rows])
        ax.invert_yaxis()
        ax.set_xlim(-3, 103)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.set_xlabel(axis)
        return _svg(figure, name, label)


def marks(rows: Sequence[tuple[str, int, int, int]], *, name: str, label: str,
          legend: tuple[str, str, str], axis: str) -> str:
    """For each row (a function and how many students got full, partial and zero marks),
    a bar split into the three shares, in percent."""
    with rc_context(_style()):
        figure, ax = _figure(len(rows))
        left = np.zeros(len(rows))
        totals = np.array([max(1, full + partial + zero) for _r, full, partial, zero in rows])
        for column, (color, text) in enumerate(zip((FULL, PARTIAL, ZERO), legend), start=1):
            share = np.array([row[column] for row in rows]) / totals * 100
            bars = ax.barh(range(len(rows)), share, left=left, color=color, height=0.6,
                           label=text, linewidth=0)
            counts = [str(row[column]) if row[column] else "" for row in rows]
            ax.bar_label(bars, counts, label_type="center", color="white", fontsize=8)
            left += share
        ax.set_yticks(range(len(rows)), [row[0] for row in rows])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel(axis)
        ax.legend(ncols=3, loc="lower left", bbox_to_anchor=(0, 1.0))
        return _svg(figure, name, label)


def counts(rows: Sequence[tuple[str, int]], *, name: str, label: str, axis: str) -> str:
    """A bar per row (a mistake and how many students made it), the longest first."""
    with rc_context(_style()):
        figure, ax = _figure(len(rows))
        bars = ax.barh(range(len(rows)), [n for _r, n in rows], color=ZERO, height=0.6,
                       linewidth=0)
        ax.bar_label(bars, padding=3)
        ax.set_yticks(range(len(rows)), [row for row, _n in rows])
        ax.invert_yaxis()
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel(axis)
        return _svg(figure, name, label)
