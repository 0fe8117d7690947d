"""Hostile and broken submissions are contained: they lose what they broke, nothing more.

Each case is the reference ``activations`` file with some functions replaced
or some top-level code added, graded in one batch (so a submission that
takes down its process cannot take the batch with it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autograder.authoring.markers import replace_functions, unmarked
from autograder.config import Config
from autograder.grading.grader import Grader
from autograder.grading.submissions import Submission
from autograder.output.report import part_feedback

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = unmarked((ROOT / "solutions" / "activations.py").read_text())
ALL = "*"  # every part

# id: (code replacing or added to the reference, {part: phrase in its feedback})
CASES = {
    "loop-at-import": ("while True:\n    pass\n", {ALL: "time limit"}),
    "loop-in-one-function": ("def relu(x):\n    while True:\n        pass\n",
                             {"relu": "time limit"}),
    "exit-at-import": ("import sys\nsys.exit(0)\n", {ALL: "exit()"}),
    "os-exit-in-one-function": ("def tanh_grad(x):\n    import os\n    os._exit(0)\n",
                                {"tanh_grad": "ended abruptly"}),
    "unbounded-recursion": ("def relu_grad(x):\n    return relu_grad(x)\n",
                            {"relu_grad": "recursion"}),
    "8-GiB-allocation": ("def sigmoid(x):\n    return np.ones(2**30) [: x.size].reshape(x.shape)\n",
                         {"sigmoid": "memory"}),
    "print-flood": ("import os, sys\nsys.stdout.write('x' * 200_000_000)\n"
                    "os.write(1, b'y' * 200_000_000)\n", {}),
    "print-flood-in-function": ("def relu(x):\n    print('z' * 50_000_000)\n"
                                "    return np.maximum(x, 0)\n", {}),
    "patched-allclose": ("import numpy\nnumpy.allclose = lambda *a, **k: True\n"
                         "numpy.testing.assert_allclose = lambda *a, **k: None\n"
                         "def relu(x):\n    return x\n", {"relu": "wrong value"}),
    "equals-anything": ("class Yes:\n    def __eq__(self, other):\n        return True\n"
                        "def relu(x):\n    return Yes()\n", {"relu": "type Yes"}),
    "lying-ndarray-subclass": (
        "class Liar(np.ndarray):\n"
        "    def __sub__(self, other):\n        return np.zeros(self.shape)\n"
        "    def __abs__(self):\n        return np.zeros(self.shape)\n"
        "    def __eq__(self, other):\n        return np.ones(self.shape, bool)\n"
        "def relu(x):\n    return np.zeros_like(x).view(Liar)\n", {"relu": "wrong value"}),
    "returns-none": ("def relu(x):\n    np.maximum(x, 0)\n", {"relu": "return"}),
    "returns-string": ("def relu(x):\n    return 'relu'\n", {"relu": "type str"}),
    "returns-list": ("def relu(x):\n    return [0.0] * len(x)\n", {"relu": "list"}),
    "nan-result": ("def relu(x):\n    return x * np.nan\n", {"relu": "NaN"}),
}
RAW = {  # files that are not the reference with changes
    "syntax-error": (b"def sigmoid(x)\n    return x\n", {ALL: "SyntaxError"}),
    "empty-file": (b"", {ALL: "No function named"}),
    "binary-file": (bytes(range(256)) * 4, {ALL: "not a text file"}),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    submissions = []
    for name, (code, _) in CASES.items():
        path = folder / name / "activations.py"
        path.parent.mkdir()
        path.write_text(replace_functions(REFERENCE, code))
        submissions.append(Submission(name, "activations", path))
    for name, (data, _) in RAW.items():
        path = folder / name / "activations.py"
        path.parent.mkdir()
        path.write_bytes(data)
        submissions.append(Submission(name, "activations", path))
    grader = Grader(Config(seconds_per_part=3.0, workers=2), ["activations"], hidden=True)
    results = {r.student: r for r in grader.grade_all(submissions)}
    yield results
    shutil.rmtree(folder)


@pytest.mark.parametrize("name", [*CASES, *RAW])
def test_hostile_submission_loses_only_what_it_broke(graded, name):
    lost = {**CASES, **RAW}[name][1]
    result = graded[name]
    for part in result.parts:
        phrase = lost.get(part.name, lost.get(ALL))
        if phrase is None:
            assert part.score == part.max_score, f"{part.name}: {part_feedback(part)}"
        else:
            assert part.score < part.max_score, part.name
            assert part.score == 0 or ALL not in lost, part.name
            text = part_feedback(part) + " ".join(result.notes)
            assert phrase.lower() in text.lower(), text


def test_an_infinite_loop_costs_about_its_time_limit(graded):
    # Generous bound: the loop is killed after 3 s per part; it must not hang the batch.
    assert graded["loop-in-one-function"].seconds < 30
    assert graded["loop-at-import"].seconds < 30
