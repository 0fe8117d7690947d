"""Submissions to look at: a time-out, a crash, a limit, a file that cannot be read or
loaded are found in the records, whatever the language they were graded in."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

from autograder.authoring.markers import unmarked
from autograder.config import Config
from autograder.grading.grader import Grader
from autograder.grading.submissions import Submission
from autograder.i18n import DOMAIN, LANGUAGES, LOCALE_DIR
from autograder.output.outliers import KINDS, kind_of, outliers
from autograder.output.report import as_json

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = unmarked((ROOT / "solutions" / "activations.py").read_text())
SUBMISSIONS = {  # student: (file name, its content, the kind of outlier it is)
    "loops": ("activations.py", REFERENCE + "\ndef relu(x):\n    while True:\n        pass\n",
              "timed-out"),
    "exits": ("activations.py", REFERENCE + "\ndef tanh_grad(x):\n    import os\n    os._exit(0)\n",
              "crashed"),
    "hoards": ("activations.py", REFERENCE + "\ndef sigmoid(x):\n    return np.ones(2**30)\n",
               "limit"),
    "typo": ("activations.py", "def sigmoid(x)\n    return x\n", "unreadable"),
    "broken": ("activations.ipynb", '{"cells": [', "unreadable"),
    "stops": ("activations.py", "import numpy as np\nundefined_name\n", "did-not-load"),
}


@pytest.fixture(scope="module")
def found(tmp_path_factory) -> dict[str, set[str]]:
    """The kinds of outlier found in each submission's record."""
    folder = tmp_path_factory.mktemp("hostile")
    submissions = []
    for student, (name, content, _kind) in SUBMISSIONS.items():
        path = folder / student / name
        path.parent.mkdir()
        path.write_text(content)
        submissions.append(Submission(student, "activations", path))
    grader = Grader(Config(seconds_per_part=1.0, workers=2), ["activations"], hidden=True)
    return {r.student: {o.kind for o in outliers(as_json(r))}
            for r in grader.grade_all(submissions)}


@pytest.mark.parametrize("student", SUBMISSIONS)
def test_each_outlier_is_found_in_its_record(found, student):
    assert SUBMISSIONS[student][2] in found[student]


def test_a_sound_submission_is_no_outlier(tmp_path):
    record = {"student": "ada", "exercise": "losses",
              "parts": [{"feedback": "All checks passed."}], "notes": []}
    assert outliers(record) == []


TEMPLATES = [(kind, template) for kind, templates in KINDS.items() for template in templates]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind, template", TEMPLATES)
def test_each_template_is_recognised_in_each_language(kind, template, lang):
    text = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)\
        .gettext(template)
    filled = re.sub(r"\{\w+\}", "x1", text)
    assert kind_of(f"✘ a check (0/1)\n    `relu` {filled}") == (kind, f"`relu` {filled}")


def test_every_template_is_one_of_the_packages_messages():
    catalogue = (ROOT / "autograder" / "locale" / "backprop.pot").read_text()
    msgids = {"".join(re.findall(r'"(.*)"', block)).replace('\\"', '"')
              for block in re.findall(r'msgid ((?:".*"\n)+)', catalogue)}
    assert [t for _kind, t in TEMPLATES if t not in msgids] == []
