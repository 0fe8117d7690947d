"""What the course's pages quote from the grader is what the grader says."""

from __future__ import annotations

import re
from pathlib import Path

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
