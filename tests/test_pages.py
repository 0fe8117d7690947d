"""The course pages: what they quote from the grader is what the grader says, and every
chapter page is short and ends its sections with questions a reader can test themself on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograder.config import Config
from autograder.grading.grader import Grader
from autograder.grading.submissions import Submission
from autograder.output.report import part_feedback

ROOT = Path(__file__).resolve().parent.parent


def test_getting_started_quotes_the_feedback_backprop_check_gives():
    page = (ROOT / "course" / "getting-started.md").read_text()
    quoted = re.search(r"```text\n(numerical_gradient\n.*?)\n```", page, re.S).group(1)
    path = ROOT / "samples" / "class" / "ben" / "calculus.py"  # a forward difference
    grader = Grader(Config(workers=1), ["calculus"], hidden=False)
    (result,) = grader.grade_all([Submission("ben", "calculus", path)])
    part = next(p for p in result.parts if p.name == "numerical_gradient")
    name, *lines = quoted.splitlines()
    assert lines == part_feedback(part).splitlines()[:len(lines)] and len(lines) == 4


CHAPTERS = sorted(p for p in (ROOT / "course" / "chapters").glob("*.md")
                  if not p.name.endswith(".zh.md"))   # twins: tests/test_editions.py


@pytest.mark.parametrize("page", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapter_page_is_short_and_has_a_self_check(page):
    text = page.read_text()
    assert len(text.splitlines()) <= 460, f"{page.name}: split it, no page over ~450 lines"
    assert '??? question "Check yourself: ' in text, f"{page.name} has no self-check question"


@pytest.mark.parametrize("chapter", "1234")
def test_every_chapter_has_three_self_checks(chapter):
    pages = [p for p in CHAPTERS if p.name.startswith(f"{chapter}-")]
    questions = sum(p.read_text().count('??? question "Check yourself: ') for p in pages)
    assert questions >= 3, f"chapter {chapter} has {questions} self-check questions"
