"""The Chinese edition keeps to the course's terms (course/glossary-terms.md).

A row whose note says ``not 评分器`` forbids that form in every Chinese text: the pages, the
translations of the grader's messages and of the exercise files' docstrings. The other
common form of batch normalisation, 批量规范化, may appear only where a page says that
zh.d2l.ai uses it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TERMS = ROOT / "course" / "glossary-terms.md"
CHINESE = sorted(ROOT.glob("course/**/*.zh.md")) + sorted(
    ROOT.glob("autograder/locale/zh/LC_MESSAGES/*.po"))
ROW = re.compile(r"^\|\s*(?P<en>[^|]+?)\s*\|\s*(?P<zh>[^|]+?)\s*\|\s*(?P<note>[^|]*?)\s*\|$", re.M)
NOT = re.compile(r"\bnot ([^\s,;]+)")
MENTION = "批量规范化"      # zh.d2l.ai's batch normalisation, named once per chapter as such


def rows() -> list[dict]:
    return [m.groupdict() for m in ROW.finditer(TERMS.read_text())
            if m["en"] not in ("English", "---")]


def forbidden() -> dict[str, str]:
    """``{form to avoid: the term to use}`` from the notes."""
    return {avoid: row["zh"] for row in rows() for avoid in NOT.findall(row["note"])}


def test_the_glossary_has_terms_and_rules():
    terms = rows()
    assert len(terms) > 100 and all(r["zh"] for r in terms)
    assert forbidden()["评分器"].startswith("评分程序")


@pytest.mark.parametrize("path", CHINESE, ids=[str(p.relative_to(ROOT)) for p in CHINESE])
def test_chinese_text_uses_the_course_terms(path):
    text = path.read_text()
    found = {avoid: use for avoid, use in forbidden().items() if avoid in text}
    assert not found, f"{path.name}: use the glossary's term instead: {found}"
    for line in text.splitlines():
        if MENTION in line:
            assert "d2l" in line, f"{path.name}: 批量归一化 is the course's term: {line[:80]}"
