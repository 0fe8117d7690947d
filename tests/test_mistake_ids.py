"""Mistakes are data: every diagnosis has a stable id beside its sentence, the id travels
from the diagnosis into the check's result, the journal and the JSON Lines record, and
the sentences themselves are unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from autograder import exercises
from autograder.checks.feedback import explain
from autograder.grading.journal import Journal
from autograder.grading.results import Cells, CheckResult, PartResult, Result
from autograder.numerics.compare import compare
from autograder.numerics.diagnose import GENERIC, batch_factors, diagnose, diagnosis
from autograder.output.report import as_json
from autograder.spec import MISTAKE_ID, Named, Text, declared_mistakes, mistake, mistake_id

ROOT = Path(__file__).resolve().parent.parent
RECORDS = [json.loads(line) for line in
           (ROOT / "samples" / "expected" / "results.jsonl").read_text().splitlines()]


for _exercise in exercises.ids():  # their declarations declare their mistakes
    exercises.load(_exercise)


def layers(check):
    """A check and the checks it wraps."""
    yield check
    while hasattr(check, "inner"):
        check = check.inner
        yield check


def declared(exercise_id: str) -> list[tuple[str, str]]:
    """``(function, message)`` for every mistake a check of the exercise can name."""
    return list(dict.fromkeys(
        (part.name, message) for part in exercises.load(exercise_id).parts
        for check in part.checks for layer in layers(check)
        for message in [*getattr(layer, "mistakes", {}), *getattr(layer, "wrong_stds", {})]))


@pytest.mark.parametrize("exercise_id", exercises.ids())
def test_every_declared_mistake_has_an_id(exercise_id):
    mistakes = declared(exercise_id)
    assert mistakes, "the exercise declares no mistake"
    missing = [(fn, m[:50]) for fn, m in mistakes if not mistake_id(m)]
    assert not missing
    assert all(MISTAKE_ID.match(mistake_id(m)) for _fn, m in mistakes)


def test_ids_are_kebab_case_and_generic_ones_are_not_declared_again():
    ids = set(declared_mistakes().values())
    assert all(MISTAKE_ID.match(i) for i in ids | set(GENERIC))
    assert not ids & set(GENERIC), "an exercise reuses a generic id for its own mistake"


def test_one_text_cannot_have_two_ids():
    text = "A message declared for this test only."
    assert mistake("test-only", text) is text
    assert mistake("test-only", text) is text  # declaring it again the same way is harmless
    with pytest.raises(ValueError):
        mistake("another-id", text)
    with pytest.raises(ValueError):
        mistake("Not Kebab", "Another message for this test.")


def test_a_message_made_from_a_mistake_names_that_mistake():
    inner = mistake("test-inner", "An inner message for this test.")
    outer = Text("{mistake} (seen from another function)", mistake=Text(inner))
    assert mistake_id(outer) == mistake_id(str(outer)) == "test-inner"
    assert mistake_id("A message nobody declared.") is None


N = 4
X = np.arange(1.0, 13.0).reshape(N, 3)
SQUARE = np.array([[1.0, 2.0], [3.0, 4.0]])
FINGERPRINTS = {  # id: (expected, got) that leave that fingerprint
    "sign-flip": (X, -X),
    "missing-mean": (X, N * X),
    "extra-division": (X, X / N),
    "factor-two": (X, 2 * X),
    "factor-half": (X, X / 2),
    "constant-factor": (X, 3.7 * X),
    "transposed": (SQUARE, SQUARE.T),
    "extra-axis": (X[0], X),
    "lost-axis": (X, X[0]),
    "wrong-shape": (X, np.ones((2, 5))),
    "all-zeros": (X, np.zeros_like(X)),
    "not-finite": (X, np.where(X > 6, np.inf, X)),
    "partial-sign-flip": (X, np.where(X > 6, -X, X)),
}


@pytest.mark.parametrize("expected_id", FINGERPRINTS)
def test_each_fingerprint_is_named_by_its_id(expected_id):
    expected, got = FINGERPRINTS[expected_id]
    found = diagnose(compare(got, expected), None, batch_factors({"x": X}))
    assert isinstance(found, Named) and found.mistakes == (expected_id,)
    assert expected_id in GENERIC


def test_the_transposed_shape_has_the_same_id_as_the_transposed_value():
    found = diagnose(compare(X.T, X))
    assert found.mistakes == ("transposed",) and "transposed shape" in found


def test_a_declared_mistake_is_named_by_its_own_id():
    message = declared("losses")[0][1]  # mse_loss: the batch mean only
    found = diagnose(compare(X / 3, X), {message: X / 3})
    assert found == message and found.mistakes == (mistake_id(message),)


def test_a_generic_id_must_be_known():
    with pytest.raises(ValueError):
        diagnosis("no-such-mistake", "text")


def test_ids_travel_from_the_diagnosis_to_the_check_result():
    found = compare(-X, X)
    message = explain({"x": X}, found, diagnose(found))
    assert message.mistakes == ("sign-flip",)
    cells = Cells(["a 2-D x"], ("dx", "db"))
    cells.record("a 2-D x", {"dx": message})
    result = CheckResult("matches", True, 1.0, 0.5, cells.message(), cells.lost())
    assert result.mistakes == ["sign-flip"]
    assert type(result.message) is str and "sign flip" in result.message


def test_the_journal_keeps_the_ids(tmp_path):
    result = Result("ada", "losses", "ada/losses.py",
                    [PartResult("mse_loss", [CheckResult("t", True, 1, 0, "m",
                                                         mistakes=["sign-flip"])])])
    journal = Journal(tmp_path / "journal.jsonl")
    journal.record(result, "key")
    (again,) = journal.load().values()
    assert again.parts[0].checks[0].mistakes == ["sign-flip"]
    assert as_json(again)["parts"][0]["mistakes"] == ["sign-flip"]


CATALOGUE_PART = {"name", "score", "max_score", "feedback"}


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: f"{r['student']}-{r['exercise']}")
def test_records_add_fields_and_keep_the_catalogue_ones(record):
    for part in record["parts"]:
        assert CATALOGUE_PART <= set(part)
        assert part["mistakes"] == list(dict.fromkeys(
            m for check in part["checks"] for m in check["mistakes"]))
        assert sum(c["score"] for c in part["checks"]) == pytest.approx(part["score"])
        assert all(set(c) == {"title", "public", "points", "score", "mistakes"}
                   for c in part["checks"])
        known = set(declared_mistakes().values()) | set(GENERIC)
        assert set(part["mistakes"]) <= known
