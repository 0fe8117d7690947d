"""The sample class: every student scores what `samples/expected/<exercise>.toml` says.

Each student there is a typical submission — correct in an unusual style, or
wrong in one of the ways students get it wrong.  A part listed under ``lost``
must score what ``score`` says for it (to two decimals: credit is given per
output and per kind of input) and its feedback must name the mistake; every
other part must get full marks.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from autograder import exercises
from autograder.config import Config
from autograder.grading.grader import Grader
from autograder.grading.submissions import find_submissions
from autograder.output.report import part_feedback

ROOT = Path(__file__).resolve().parent.parent
CLASS = ROOT / "samples" / "class"
EXPECTED = {p.stem: tomllib.loads(p.read_text())
            for p in sorted((ROOT / "samples" / "expected").glob("*.toml"))}


@pytest.fixture(scope="module")
def graded():
    submissions, notes = find_submissions(CLASS, set(exercises.ids()))
    assert not notes
    grader = Grader(Config(workers=2), sorted({s.exercise for s in submissions}), hidden=True)
    return {(r.student, r.exercise): r for r in grader.grade_all(submissions)}


def expectations():
    for exercise, students in EXPECTED.items():
        for student, spec in students.items():
            yield pytest.param(student, exercise, spec.get("lost", {}), spec.get("score", {}),
                               id=f"{student}-{exercise}")


def test_every_sample_submission_is_described():
    described = {(s, e) for e, students in EXPECTED.items() for s in students}
    submitted = {(p.parent.name, p.stem) for p in CLASS.glob("*/*.*")}
    assert submitted == described


@pytest.mark.parametrize("student, exercise, lost, score", list(expectations()))
def test_sample_student_scores_as_described(graded, student, exercise, lost, score):
    result = graded[(student, exercise)]
    assert set(lost) <= {p.name for p in result.parts}, "expected.toml names an unknown part"
    assert set(score) == set(lost), "expected.toml gives a score for each part lost, only"
    for part in result.parts:
        if part.name in lost:
            assert round(part.score, 2) == score[part.name], part_feedback(part)
            assert part.score < part.max_score, f"{part.name} should lose points"
            assert lost[part.name].lower() in part_feedback(part).lower(), part_feedback(part)
        else:
            assert part.score == part.max_score, f"{part.name}: {part_feedback(part)}"
