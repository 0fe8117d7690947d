"""The English and Chinese editions of the site say the same thing.

Each page ``course/<path>.md`` has a Chinese twin ``course/<path>.zh.md`` (mkdocs-static-i18n's
suffix structure). A pair must share everything that is not prose: the formulas (the same
LaTeX after normalising whitespace), the code blocks and snippet includes, the figures, the
links and the anchors of the headings, so that a link into a section works in both editions,
and the same admonitions (warnings, tips, self-check questions) in the same order.
The Chinese page must be mostly Chinese: a measured share of its prose characters are CJK.

Run ``python tests/test_editions.py course/chapters/1-calculus.md`` to see what differs
between one page and its twin.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from markdown.extensions.toc import slugify

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
ENGLISH = sorted(p for p in COURSE.rglob("*.md")
                 if not p.name.endswith(".zh.md") and p.name != "glossary-terms.md")
TWINS = [p for p in ENGLISH if p.with_suffix("").with_suffix(".zh.md").is_file()]
MIN_CJK_SHARE = 0.5   # of the letters of the prose (CJK characters + Latin letters)

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})[^\n]*\n.*?^\1\2[ \t]*$", re.S | re.M)
_DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)(?:\\.|[^$\\\n])+?\$")
_SNIPPET = re.compile(r"^\s*;?--8<--.*$", re.M)
_LINK = re.compile(r"(!?)\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$", re.M)
_EXPLICIT_ID = re.compile(r"\s*\{[^}]*#([\w-]+)[^}]*\}\s*$")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_ADMONITION = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s+([\w-]+)", re.M)


def twin(page: Path) -> Path:
    """``course/x.md`` → ``course/x.zh.md``."""
    return page.with_suffix("").with_suffix(".zh.md")


def _blocks(text: str) -> list[str]:
    return [m.group(0) for m in _FENCE.finditer(text)]


def _without_blocks(text: str) -> str:
    return _FENCE.sub("", text)


def _normal(tex: str) -> str:
    return " ".join(tex.split())


def formulas(text: str) -> list[str]:
    """Every formula of a page, display and inline, whitespace normalised, in order."""
    prose = _without_blocks(text)
    display = [_normal(m) for m in _DISPLAY_MATH.findall(prose)]
    inline = [_normal(m) for m in _INLINE_MATH.findall(_DISPLAY_MATH.sub("", prose))]
    return display + sorted(inline)


def code(text: str) -> list[str]:
    """The code blocks (with their snippet includes) and the bare snippet lines, in order;
    a bare include of ``x.zh.md`` counts as the same as one of ``x.md`` (its Chinese twin)."""
    bare = _SNIPPET.findall(_without_blocks(text))
    return [b.strip() for b in _blocks(text)] + [s.strip().replace(".zh.md", ".md")
                                                 for s in bare]


def links(text: str) -> tuple[list[str], list[str]]:
    """``(figures, links)``: the targets of images and of links, in order."""
    prose = _without_blocks(text)
    found = _LINK.findall(prose)
    return [t for bang, t in found if bang], [t for bang, t in found if not bang]


def admonitions(text: str) -> list[str]:
    """The types of the admonitions (notes, warnings, self-check questions), in order."""
    return _ADMONITION.findall(_without_blocks(text))


def anchors(text: str) -> list[str]:
    """The ids of the headings: an explicit ``{#id}`` or the slug toc would give."""
    out = []
    for _, title in _HEADING.findall(_without_blocks(text)):
        explicit = _EXPLICIT_ID.search(title)
        out.append(explicit.group(1) if explicit else slugify(title, "-"))
    return out


def prose(text: str) -> str:
    """The text a reader reads as prose: no code, formulas, links' targets or markup."""
    text = _DISPLAY_MATH.sub(" ", _without_blocks(text))
    text = _INLINE_MATH.sub(" ", _INLINE_CODE.sub(" ", text))
    text = re.sub(r"\]\([^)]*\)", "]", text)   # keep a link's words, drop its target
    return _SNIPPET.sub(" ", text)


def cjk_share(text: str) -> float:
    """The share of CJK characters among the letters of the prose (CJK + Latin)."""
    body = prose(text)
    cjk, latin = len(_CJK.findall(body)), len(_LATIN.findall(body))
    return cjk / max(1, cjk + latin / 5)   # ~5 Latin letters make a word, a CJK char one


def differences(page: Path) -> dict[str, tuple]:
    """What differs between ``page`` and its twin, by kind: ``{kind: (english, chinese)}``."""
    en, zh = page.read_text(), twin(page).read_text()
    out = {}
    for kind, get in (("formulas", formulas), ("code", code), ("anchors", anchors),
                      ("admonitions", admonitions)):
        a, b = get(en), get(zh)
        if a != b:
            out[kind] = (sorted(set(a) - set(b))[:8] or a[:8],
                         sorted(set(b) - set(a))[:8] or b[:8])
    (en_figures, en_links), (zh_figures, zh_links) = links(en), links(zh)
    if en_figures != zh_figures:
        out["figures"] = (en_figures, zh_figures)
    if sorted(en_links) != sorted(zh_links):
        out["links"] = (sorted(set(en_links) - set(zh_links)),
                        sorted(set(zh_links) - set(en_links)))
    return out


def test_every_page_has_a_chinese_twin():
    assert [str(p.relative_to(COURSE)) for p in ENGLISH if p not in TWINS] == []


@pytest.mark.parametrize("page", TWINS, ids=[str(p.relative_to(COURSE)) for p in TWINS])
def test_the_twins_share_formulas_code_figures_links_and_anchors(page):
    assert differences(page) == {}


@pytest.mark.parametrize("page", TWINS, ids=[str(p.relative_to(COURSE)) for p in TWINS])
def test_the_chinese_twin_is_mostly_chinese(page):
    share = cjk_share(twin(page).read_text())
    assert share >= MIN_CJK_SHARE, f"{twin(page).name}: only {share:.0%} of its prose is Chinese"


def test_the_measures_see_what_they_measure():
    english = "## The chain rule\n\nSee $a_1$ and [here](x.md#y).\n\n```python\nx = 1\n```\n"
    chinese = ("## 链式法则 {#the-chain-rule}\n\n见 $a_1$ 与[这里](x.md#y)。\n\n"
               "```python\nx = 1\n```\n")
    assert anchors(english) == anchors(chinese) == ["the-chain-rule"]
    assert formulas(english) == formulas(chinese) == ["$a_1$"]
    assert links(english) == links(chinese) == ([], ["x.md#y"])
    assert code(english) == code(chinese)
    assert admonitions('??? question "Check yourself: x?"\n    y\n') == ["question"]
    assert cjk_share(chinese) > 0.5 > cjk_share(english) == 0
    assert formulas(chinese.replace("a_1", "a_2")) != formulas(english)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        path = Path(arg).resolve()
        print(f"{path.relative_to(ROOT)}: CJK share of the twin "
              f"{cjk_share(twin(path).read_text()):.0%}")
        for kind, (en, zh) in differences(path).items():
            print(f"  {kind}:\n    en only: {en}\n    zh only: {zh}")
