"""Credit per output and per kind of input (see :mod:`autograder.spec`).

The property: in every exercise, each output of each function that returns a
tuple can be broken alone, and the function then loses exactly that output's
share of its points (what the declaration's checks give it), no more, no less.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder import exercises
from autograder.config import Config
from autograder.grading.grader import Grader
from autograder.grading.results import Cells
from autograder.grading.submissions import find_submissions
from autograder.output.report import part_feedback

ROOT = Path(__file__).resolve().parent.parent

BREAK = '''

import numpy as _np


def _broken(value):
    """Every number of ``value`` moved to −value − 1 (NaN stays NaN: never right)."""
    if isinstance(value, dict):
        return {k: _broken(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return type(value)(_broken(v) for v in value)
    if isinstance(value, (int, float, _np.ndarray, _np.generic)) and not isinstance(value, bool):
        return -value - 1
    return value


_original_FN = FN


def FN(*args, **kwargs):
    result = list(_original_FN(*args, **kwargs))
    result[INDEX] = _broken(result[INDEX])
    return tuple(result)
'''


def outputs():
    """``(exercise, part, index, name)`` for every item of every tuple result."""
    for exercise_id in exercises.ids():
        for part in exercises.load(exercise_id).parts:
            for index, name in enumerate(part.returns or ()):
                yield exercise_id, part.name, index, name


def share(exercise_id: str, part_name: str, output: str) -> float:
    """The points that output ``output`` of the part earns, by its checks' declarations."""
    part = exercises.load(exercise_id).part(part_name)
    return sum(c.points / len(c.outputs) for c in part.checks if output in c.outputs)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The reference of each exercise with one output of one function broken, graded."""
    folder = tmp_path_factory.mktemp("broken")
    for exercise_id, part, index, name in outputs():
        student = folder / f"{part}-{name}"
        student.mkdir()
        reference = (ROOT / "solutions" / f"{exercise_id}.py").read_text()
        (student / f"{exercise_id}.py").write_text(
            reference + BREAK.replace("FN", part).replace("INDEX", str(index)))
    submissions, _ = find_submissions(folder, set(exercises.ids()))
    grader = Grader(Config(workers=2), sorted({s.exercise for s in submissions}), hidden=True)
    return {r.student: r for r in grader.grade_all(submissions)}


@pytest.mark.parametrize("exercise_id, part_name, index, output", list(outputs()),
                         ids=[f"{p}-{o}" for _, p, _, o in outputs()])
def test_breaking_one_output_costs_exactly_its_share(graded, exercise_id, part_name, index,
                                                     output):
    result = graded[f"{part_name}-{output}"]
    part = next(p for p in result.parts if p.name == part_name)
    lost = share(exercise_id, part_name, output)
    assert part.score == pytest.approx(part.max_score - lost), part_feedback(part)
    declared = exercises.load(exercise_id).part(part_name).checks
    for check, outcome in zip(declared, part.checks, strict=True):
        if output in check.outputs and len(check.outputs) > 1:  # the others are right
            assert f"wrong: `{output}`" in outcome.message
            assert outcome.lost and all(cell.startswith(f"`{output}`") for cell in outcome.lost)


@pytest.mark.parametrize("exercise_id, part_name", sorted(
    {(e, p) for e, p, _, _ in outputs()}))
def test_every_output_but_an_own_cache_earns_points(exercise_id, part_name):
    part = exercises.load(exercise_id).part(part_name)
    for output in part.returns:
        assert share(exercise_id, part_name, output) > 0 or output == "cache"


@pytest.mark.parametrize("kinds, outputs, wrong, earned, summary", [
    (["a"], ("dx", "dW", "db"), {("a", "dW"): "dW is transposed"}, 2 / 3,
     "Right: `dx`, `db`; wrong: `dW`."),
    (["a scalar alpha", "a per-channel alpha"], (), {("a per-channel alpha", ""): "no"}, 1 / 2,
     "Right: for a scalar alpha; wrong: for a per-channel alpha."),
    (["k1", "k2"], ("dx", "dalpha"), {("k2", "dalpha"): "no"}, 3 / 4,
     "For k1: right: `dx`, `dalpha`.\nFor k2: right: `dx`; wrong: `dalpha`."),
])
def test_cells_share_and_say_what_is_right(kinds, outputs, wrong, earned, summary):
    cells = Cells(kinds, outputs)
    for (kind, output), message in wrong.items():
        cells.record(kind, {output: message} if output else message)
    assert cells.share() == pytest.approx(earned)
    assert cells.message() == summary + "\n" + "\n".join(wrong.values())


def test_a_whole_wrong_result_loses_every_output_and_says_it_once():
    cells = Cells(["k"], ("loss", "grads"))
    cells.record("k", "not a tuple")
    assert cells.share() == 0 and cells.message() == "not a tuple"
    assert cells.settled("k")


def test_a_check_cannot_judge_an_output_it_does_not_declare():
    with pytest.raises(ValueError, match="does not declare"):
        Cells([""], ("dx",)).record("", {"dW": "wrong"})
