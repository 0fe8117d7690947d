"""Submissions to look at: a time-out, a crash, a limit, a file that cannot be read or
loaded are recorded as incidents when they happen, and the class report finds them in the
records, whatever the language they were graded in."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.authoring.markers import replace_functions, unmarked
from autograder.config import Config
from autograder.grading.grader import Grader
from autograder.grading.submissions import Submission
from autograder.i18n import set_language
from autograder.output.outliers import KINDS, LABELS, Outlier, outliers
from autograder.output.report import as_json

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = unmarked((ROOT / "solutions" / "activations.py").read_text())
FILE = None  # the part of an incident about the file as a whole

# student: (file name, code replacing or added to the reference — or, as bytes, the whole
# file —, the incidents its record must have: (kind, part))
SUBMISSIONS = {
    "loops": ("activations.py", "def relu(x):\n    while True:\n        pass\n",
              [("timed-out", "relu")]),
    "loops-at-import": ("activations.py", "while True:\n    pass\n", [("timed-out", FILE)]),
    "ends": ("activations.py", "def tanh_grad(x):\n    import os\n    os._exit(0)\n",
             [("crashed", "tanh_grad")]),
    "exits": ("activations.py", "def relu_grad(x):\n    raise SystemExit(1)\n",
              [("crashed", "relu_grad")]),
    "exits-at-import": ("activations.py", "import sys\nsys.exit(0)\n", [("crashed", FILE)]),
    "hoards": ("activations.py", "def relu(x):\n    return np.ones(2**30)\n",
               [("limit", "relu")]),
    "typo": ("activations.py", b"def sigmoid(x)\n    return x\n", [("unreadable", FILE)]),
    "broken": ("activations.ipynb", b'{"cells": [', [("unreadable", FILE)]),
    "binary": ("activations.py", bytes(range(256)) * 4, [("unreadable", FILE)]),
    "stops": ("activations.py", b"import numpy as np\nundefined_name\n",
              [("did-not-load", FILE)]),
    "sound": ("activations.py", REFERENCE.encode(), []),
}


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> dict[str, dict]:
    """Each submission graded, as its JSON Lines record (small limits: a time-out costs 1 s,
    a process 256 MiB)."""
    folder = tmp_path_factory.mktemp("outliers")
    submissions = []
    for student, (name, code, _incidents) in SUBMISSIONS.items():
        path = folder / student / name
        path.parent.mkdir()
        if isinstance(code, bytes):
            path.write_bytes(code)
        else:
            path.write_text(replace_functions(REFERENCE, code))
        submissions.append(Submission(student, "activations", path))
    grader = Grader(Config(seconds_per_part=1.0, memory_mb=256, workers=2), ["activations"],
                    hidden=True)
    return {r.student: as_json(r) for r in grader.grade_all(submissions)}


@pytest.mark.parametrize("student", SUBMISSIONS)
def test_each_event_is_recorded_once_where_it_happened(records, student):
    record = records[student]
    assert [(i["kind"], i["part"]) for i in record["incidents"]] == SUBMISSIONS[student][2]
    shown = "\n".join([*record["notes"], *(p["feedback"] for p in record["parts"])])
    for found in record["incidents"]:
        assert found["message"] and found["message"] in shown, found


@pytest.mark.parametrize("student", SUBMISSIONS)
def test_the_report_lists_what_the_record_says(records, student):
    record = records[student]
    assert [(o.kind, o.line) for o in outliers(record)] == \
        [(i["kind"], i["message"]) for i in record["incidents"]]


def test_each_kind_is_listed_once_in_the_report_order():
    record = {"student": "ada", "exercise": "losses", "incidents": [
        {"kind": kind, "part": part, "message": f"{kind} in {part}"}
        for kind in reversed(KINDS) for part in ("relu", "sigmoid")]}
    assert outliers(record) == [Outlier("ada", "losses", kind, f"{kind} in relu")
                                for kind in KINDS]
    assert set(KINDS) == set(LABELS)


@pytest.mark.parametrize("incidents", [None, [], [{"kind": "bored", "message": "zzz"}, 3]])
def test_a_record_without_known_incidents_is_no_outlier(incidents):
    record = {"student": "ada", "exercise": "losses",
              "parts": [{"feedback": "took longer than the time limit of 4 s"}],
              "notes": ["Loading your file stopped: NameError"]}
    if incidents is not None:
        record["incidents"] = incidents
    assert outliers(record) == []


def test_kinds_are_data_and_messages_are_in_the_language_of_the_run(tmp_path):
    path = tmp_path / "ada" / "activations.py"
    path.parent.mkdir()
    path.write_bytes(bytes(range(256)))
    grader = Grader(Config(), ["activations"], hidden=False)
    try:
        set_language("zh")
        record = as_json(grader.grade(None, Submission("ada", "activations", path)))
    finally:
        set_language("en")
    assert [(i["kind"], i["part"]) for i in record["incidents"]] == [("unreadable", FILE)]
    assert record["incidents"][0]["message"] == record["notes"][0] != ""
    assert not record["notes"][0].isascii()  # in Chinese
    assert [o.kind for o in outliers(record)] == ["unreadable"]
