"""The sample class grades to the records of ``samples/expected/results.jsonl``.

A redesign of the engine must not change a grade or a word of feedback.  The
records are compared without what depends on the machine or the run: the
grading time, the file's path, and the digits of numbers in the feedback
(hidden answer keys are computed here, and another CPU rounds their last bits
differently) with the index of the worst element (a sample student who draws
from an unseeded generator gets other numbers at every run, always wrong).
After a deliberate change of scores or feedback, write the file anew with
``python tests/test_results_unchanged.py`` and review its diff.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import exercises  # noqa: E402
from autograder.config import Config  # noqa: E402
from autograder.grading.grader import Grader  # noqa: E402
from autograder.grading.submissions import find_submissions  # noqa: E402
from autograder.output.report import as_json  # noqa: E402

EXPECTED = ROOT / "samples" / "expected" / "results.jsonl"
NUMBER = re.compile(r"-?\d+\.\d+(?:e[-+]?\d+)?|index \([\d, ]*\)")


def records() -> list[dict]:
    """The sample class's JSON Lines records, by student and exercise, without the
    grading time and the file's path."""
    submissions, _ = find_submissions(ROOT / "samples" / "class", set(exercises.ids()))
    grader = Grader(Config(workers=2), sorted({s.exercise for s in submissions}), hidden=True)
    out = []
    for result in sorted(grader.grade_all(submissions), key=lambda r: (r.student, r.exercise)):
        record = as_json(result)
        del record["seconds"], record["file"]
        out.append(record)
    return out


def masked(record: dict) -> dict:
    """``record`` with every decimal number and element index in its feedback replaced by
    ``#``."""
    parts = [{**p, "feedback": NUMBER.sub("#", p["feedback"])} for p in record["parts"]]
    return {**record, "parts": parts}


def test_the_sample_class_grades_as_recorded():
    expected = [json.loads(line) for line in EXPECTED.read_text().splitlines()]
    got = records()
    assert [(r["student"], r["exercise"]) for r in got] == \
        [(r["student"], r["exercise"]) for r in expected]
    for new, old in zip(got, expected, strict=True):
        assert masked(new) == masked(old), (new["student"], new["exercise"])


if __name__ == "__main__":
    EXPECTED.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records()))
    print(f"wrote {EXPECTED.relative_to(ROOT)}")
