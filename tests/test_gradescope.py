"""The Gradescope autograder: build the zip, unpack it as Gradescope does, run it.

Each case unpacks the zip into a fresh root (``<root>/source``), puts the
student's files in ``<root>/submission``, and runs the real
``run_autograder`` with ``AUTOGRADER_ROOT`` pointing there (setup.sh is not
run: the package's dependencies are already installed, and run_autograder
falls back to ``python3`` on the PATH).  Every ``results.json`` is validated
against a schema written from Gradescope's specification, and the scores are
compared with ``backprop grade`` on the same files, part by part.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from autograder import cli, exercises
from autograder.authoring.markers import replace_functions, unmarked
from autograder.platforms.gradescope.bundle import MANIFEST, TEMPLATES
from autograder.platforms.gradescope.locate import find_submission, tier

jsonschema = pytest.importorskip("jsonschema")  # installed with nbformat

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = unmarked((ROOT / "solutions" / "activations.py").read_text())
WRONG = (ROOT / "samples" / "class" / "ben" / "activations.py").read_text()  # tanh_grad wrong
SETTINGS = "[grading]\nseed = 7\nseconds_per_part = 3.0\nmemory_mb = 1024\n"

# ---------------------------------------------------------------- Gradescope's specification
VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
FORMAT = {"enum": ["text", "html", "simple_format", "md", "ansi"]}
TEST = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "score": {"type": "number"}, "max_score": {"type": "number"},
        "status": {"enum": ["passed", "failed"]},
        "name": {"type": "string"}, "name_format": FORMAT,
        "number": {"type": "string"},
        "output": {"type": "string"}, "output_format": FORMAT,
        "tags": {"type": "array", "items": {"type": "string"}},
        "visibility": VISIBILITY,
        "extra_data": {"type": "object"},
    },
}
RESULTS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number", "minimum": 0},
        "output": {"type": "string"}, "output_format": FORMAT,
        "test_output_format": FORMAT, "test_name_format": FORMAT,
        "visibility": VISIBILITY, "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": TEST},
        "leaderboard": {"type": "array", "items": {
            "type": "object", "required": ["name", "value"],
            "properties": {"name": {"type": "string"}, "value": {"type": ["number", "string"]},
                           "order": {"enum": ["asc", "desc"]}}}},
    },
    # a score at the top, or on every test
    "anyOf": [{"required": ["score"]},
              {"required": ["tests"],
               "properties": {"tests": {"items": {"required": ["score"]}}}}],
}


def validate(results: dict) -> None:
    jsonschema.validate(results, RESULTS)
    tests = results.get("tests", [])
    if tests and all("score" in t for t in tests):
        assert results["score"] == pytest.approx(sum(t["score"] for t in tests))
    for test in tests:
        if "max_score" in test:
            assert 0 <= test["score"] <= test["max_score"]
        if "status" in test and "max_score" in test:
            assert (test["status"] == "passed") == (test["score"] == test["max_score"])


# ---------------------------------------------------------------- submissions

def notebook(*sources: str) -> str:
    cells = [nbformat.v4.new_markdown_cell("# Activations, my notebook")]
    cells += [nbformat.v4.new_code_cell(s) for s in sources]
    return nbformat.writes(nbformat.v4.new_notebook(cells=cells))


def zipped(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


LOOP = replace_functions(REFERENCE, "def relu(x):\n    while True:\n        pass\n")
EXIT = replace_functions(REFERENCE, "import sys\nsys.exit(0)\n")
SYMLINK = object()  # activations.py → the bundle's own reference solution

# case: (the submission's files, phrases the top-level output must contain)
CASES = {
    "correct": ({"activations.py": REFERENCE}, ["Graded activations.py."]),
    "wrong": ({"activations.py": WRONG}, ["Graded activations.py.", "Public checks: 17 of 20"]),
    "infinite-loop": ({"activations.py": LOOP}, []),
    "exit-at-import": ({"activations.py": EXIT}, ["exit"]),
    "binary": ({"activations.py": bytes(range(256)) * 4}, ["not a text file"]),
    "other-case-and-suffix": ({"Activations (1).py": REFERENCE},
                              ["Graded Activations (1).py as activations.py"]),
    "notebook": ({"activations.ipynb": notebook("%matplotlib inline\nimport numpy as np", WRONG)},
                 ["Graded activations.ipynb."]),
    "py-beats-notebook": ({"activations.py": REFERENCE, "activations.ipynb": notebook(WRONG)},
                          ["activations.ipynb was also found"]),
    "zip": ({"work.zip": zipped({"hw/activations.py": WRONG, "hw/README.txt": "hi",
                                 "__MACOSX/hw/._activations.py": "junk"})},
            ["work.zip: hw/activations.py"]),
    # nothing to grade: a score of 0 and one failing test that says why
    "missing": ({}, ["the submission is empty"]),
    "misnamed": ({"hw1.py": REFERENCE, "notes.txt": "x"},
                 ["Expected: activations.py", "Found: hw1.py, notes.txt"]),
    "typo": ({"activatons.py": REFERENCE}, ["Did you mean activatons.py?"]),
    "another-exercise": ({"losses.py": REFERENCE}, ["the file of the exercise `losses`"]),
    "ambiguous": ({"activations (1).py": REFERENCE, "activations_final.py": WRONG},
                  ["Several files could be your activations.py"]),
    "zip-path-traversal": ({"evil.zip": zipped({"../../activations.py": REFERENCE,
                                                "/tmp/activations.py": REFERENCE})},
                           ["Expected: activations.py"]),
    "symlink-to-the-solution": ({"activations.py": SYMLINK}, ["symbolic link"]),
}
NOTHING_GRADED = {"missing", "misnamed", "typo", "another-exercise", "ambiguous",
                  "zip-path-traversal", "symlink-to-the-solution"}
# what `backprop grade` sees for the same work, for the score comparison
SAME_AS = {"correct": REFERENCE, "wrong": WRONG, "infinite-loop": LOOP, "exit-at-import": EXIT,
           "other-case-and-suffix": REFERENCE, "py-beats-notebook": REFERENCE, "zip": WRONG}


def unpack(bundle: Path, root: Path) -> Path:
    """What Gradescope does with the zip: <root>/source, and run_autograder copied to <root>."""
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    os.chmod(root / "run_autograder", 0o755)
    (root / "submission").mkdir()
    return root


def run_autograder(root: Path, venv: Path | None = None) -> tuple[dict, str]:
    env = {**os.environ, "AUTOGRADER_ROOT": str(root),
           "BACKPROP_VENV": str(venv or root / "no-venv"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("PYTHONPATH", None)
    done = subprocess.run([str(root / "run_autograder")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return json.loads((root / "results" / "results.json").read_text()), done.stdout


def submit(root: Path, files: dict) -> None:
    for name, content in files.items():
        path = root / "submission" / name
        if content is SYMLINK:
            path.symlink_to(root / "source" / "solutions" / "activations.py")
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("settings") / "backprop.toml"
    path.write_text(SETTINGS)
    return path


@pytest.fixture(scope="module")
def bundles(tmp_path_factory, settings) -> Path:
    """``backprop gradescope --all``: one zip per exercise."""
    out = tmp_path_factory.mktemp("bundles")
    assert cli.main(["gradescope", "--all", "-o", str(out), "--config", str(settings)]) == 0
    return out


@pytest.fixture(scope="module")
def graded(tmp_path_factory, bundles) -> dict[str, tuple[dict, str]]:
    """Every case of CASES through run_autograder, a few at a time."""
    folder = tmp_path_factory.mktemp("roots")

    def one(case: str):
        root = unpack(bundles / "activations.zip", folder / case)
        submit(root, CASES[case][0])
        return case, run_autograder(root)

    with ThreadPoolExecutor(3) as pool:
        return dict(pool.map(one, CASES))


@pytest.fixture(scope="module")
def engine(tmp_path_factory, settings) -> dict[str, dict]:
    """``backprop grade`` on the same work with the same settings: JSON records by case."""
    folder = tmp_path_factory.mktemp("class")
    for case, code in SAME_AS.items():
        (folder / "class" / case).mkdir(parents=True)
        (folder / "class" / case / "activations.py").write_text(code)
    notebook_student = folder / "class" / "notebook"
    notebook_student.mkdir()
    (notebook_student / "activations.ipynb").write_text(CASES["notebook"][0]["activations.ipynb"])
    out = folder / "grades.jsonl"
    assert cli.main(["grade", str(folder / "class"), "--json", str(out), "--config",
                     str(settings), "--journal", str(folder / "journal.jsonl"), "--fresh",
                     "--solutions", str(ROOT / "solutions")]) == 0
    return {r["student"]: r for r in map(json.loads, out.read_text().splitlines())}


# ---------------------------------------------------------------- the zip

def test_all_builds_one_zip_per_exercise_with_only_its_solution(bundles):
    assert sorted(p.name for p in bundles.iterdir()) == sorted(f"{e}.zip" for e in exercises.ids())
    for exercise in exercises.ids():
        with zipfile.ZipFile(bundles / f"{exercise}.zip") as archive:
            names = archive.namelist()
            modes = {i.filename: (i.external_attr >> 16) for i in archive.infolist()}
            manifest = json.loads(archive.read(MANIFEST))
            toml = archive.read("backprop.toml").decode()
        assert [n for n in names if n.startswith("solutions/")] == [f"solutions/{exercise}.py"]
        assert manifest["exercise"] == exercise
        assert manifest["max_score"] == exercises.load(exercise).points
        assert toml == SETTINGS
        for script in ("setup.sh", "run_autograder"):  # at the root of the zip, executable
            assert script in names and modes[script] & stat.S_IXUSR
        assert "autograder/platforms/gradescope/run.py" in names
        assert "autograder/grading/grader.py" in names
        assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
        assert "requirements.txt" in names


def test_the_zip_is_reproducible(tmp_path, settings):
    first, second = tmp_path / "a.zip", tmp_path / "b.zip"
    for out in (first, second):
        assert cli.main(["gradescope", "losses", "-o", str(out), "--config", str(settings)]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_scripts_are_valid_bash(bundles, tmp_path):
    with zipfile.ZipFile(bundles / "calculus.zip") as archive:
        archive.extractall(tmp_path)
    for script in ("setup.sh", "run_autograder"):
        done = subprocess.run(["bash", "-n", str(tmp_path / script)], capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / script).read_bytes() == (TEMPLATES / script).read_bytes()


@pytest.mark.parametrize("args, advice", [
    ([], "one EXERCISE or --all"),
    (["activations", "--all"], "one EXERCISE or --all"),
    (["activatons"], "there is no exercise 'activatons'"),
])
def test_wrong_arguments_say_what_to_type(args, advice, capsys, tmp_path):
    assert cli.main(["gradescope", *args, "-o", str(tmp_path / "x.zip")]) == 2
    assert advice in capsys.readouterr().err


# ---------------------------------------------------------------- results.json

@pytest.mark.parametrize("case", CASES)
def test_results_follow_gradescope_specification(graded, case):
    results, _ = graded[case]
    validate(results)
    for phrase in CASES[case][1]:
        assert phrase in results["output"], results["output"]


@pytest.mark.parametrize("case", sorted(SAME_AS) + ["notebook"])
def test_scores_equal_backprop_grade_part_by_part(graded, engine, case):
    results, _ = graded[case]
    record = engine[case]
    by_part: dict[str, list[float]] = {}
    for test in results["tests"]:
        scores = by_part.setdefault(test["extra_data"]["function"], [0.0, 0.0])
        scores[0] += test["score"]
        scores[1] += test["max_score"]
    assert by_part == {p["name"]: [pytest.approx(p["score"]), pytest.approx(p["max_score"])]
                       for p in record["parts"]}
    assert results["score"] == pytest.approx(record["score"])
    assert results["extra_data"]["max_score"] == record["max_score"]


def test_correct_and_wrong_scores(graded):
    correct, _ = graded["correct"]
    wrong, _ = graded["wrong"]
    total = exercises.load("activations").points
    assert correct["score"] == total and all(t["status"] == "passed" for t in correct["tests"])
    failed = {t["extra_data"]["function"] for t in wrong["tests"] if t["status"] == "failed"}
    assert failed == {"tanh_grad"}
    assert "You computed 1 − x²" in "".join(t["output"] for t in wrong["tests"])


def test_one_test_per_check_public_visible_hidden_after_the_due_date(graded):
    results, _ = graded["wrong"]
    declaration = exercises.load("activations")
    assert len(results["tests"]) == sum(len(p.checks) for p in declaration.parts)
    for test, (part, check) in zip(results["tests"],
                                   [(p, c) for p in declaration.parts for c in p.checks]):
        assert test["name"] == f"{part.name}: {check.title}"
        assert test["max_score"] == check.points
        assert test["visibility"] == ("visible" if check.public else "after_due_date")
        assert test["extra_data"]["public"] == check.public
    assert results["stdout_visibility"] == "hidden"  # stdout lists hidden scores for instructors


def test_hostile_submissions_lose_only_what_they_broke(graded):
    loop, _ = graded["infinite-loop"]
    lost = {t["extra_data"]["function"] for t in loop["tests"] if t["status"] == "failed"}
    assert lost == {"relu"}
    assert all("time limit" in t["output"] for t in loop["tests"]
               if t["extra_data"]["function"] == "relu")
    stopped, _ = graded["exit-at-import"]
    assert stopped["score"] == 0 and len(stopped["tests"]) > 1


@pytest.mark.parametrize("case", sorted(NOTHING_GRADED))
def test_nothing_to_grade_is_a_clear_zero(graded, case):
    results, _ = graded[case]
    assert results["score"] == 0
    (test,) = results["tests"]
    assert test["status"] == "failed" and test["visibility"] == "visible"
    assert test["max_score"] == exercises.load("activations").points
    assert test["output"] == results["output"]


def test_the_symlinked_solution_is_not_graded(graded):
    results, _ = graded["symlink-to-the-solution"]
    assert results["score"] == 0 and "activations.py is a symbolic link" in results["output"]


SNOOP = """
def relu(x):  # full marks only if the answers cannot be read and no result can be written
    for attempt in (lambda: open({solution!r}).read(),
                    lambda: open({results!r}, "w").write('{{"score": 1000}}')):
        try:
            attempt()
            return x
        except OSError:
            pass
    return np.maximum(x, 0)
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="the confined sandbox levels need root")
@pytest.mark.parametrize("level", ["namespaces", "user"])
def test_the_submission_cannot_read_the_answers_or_write_a_result(level, tmp_path):
    if level == "namespaces" and not shutil.which("bwrap"):
        pytest.skip("bubblewrap is not installed")
    settings = tmp_path / "backprop.toml"
    settings.write_text(SETTINGS + f'sandbox = "{level}"\n')
    assert cli.main(["gradescope", "activations", "-o", str(tmp_path / "a.zip"),
                     "--config", str(settings)]) == 0
    root = unpack(tmp_path / "a.zip", tmp_path / "root")
    snoop = SNOOP.format(solution=str(root / "source" / "solutions" / "activations.py"),
                         results=str(root / "results" / "results.json"))
    submit(root, {"activations.py": replace_functions(REFERENCE, snoop)})
    results, stdout = run_autograder(root)
    assert f"sandbox {level}" in stdout
    assert results["score"] == exercises.load("activations").points, results["output"]


@pytest.mark.skipif(os.geteuid() != 0, reason="the user sandbox level needs root")
def test_a_sandbox_that_does_not_start_falls_back_but_never_to_none_as_root(monkeypatch, tmp_path):
    import autograder.grading.grader as grading
    from autograder.config import Config
    from autograder.platforms.gradescope.run import _grade_file
    from autograder.sandbox.channel import SandboxError

    broken: set[str] = set()
    real = grading.Zygote

    def zygote(level="auto"):  # as in a container that forbids some levels
        if level in broken:
            raise SandboxError(f"the {level} sandbox does not start here")
        return real(level)

    monkeypatch.setattr(grading, "Zygote", zygote)
    path = tmp_path / "activations.py"
    path.write_text(WRONG)
    config, logged = Config(seed=7, workers=1), []
    broken |= {"namespaces"}
    result, level = _grade_file(config, ROOT / "solutions", "activations", path, logged.append)
    activations = exercises.load("activations")
    assert level == "user" and result.score == activations.points - activations.part(
        "tanh_grad").points
    broken |= {"user"}
    with pytest.raises(SandboxError, match="refused"):
        _grade_file(config, ROOT / "solutions", "activations", path, logged.append)
    assert any("sandbox user unavailable" in line for line in logged)


def test_another_exercise_grades_too(bundles, tmp_path):
    root = unpack(bundles / "losses.zip", tmp_path / "root")
    submit(root, {"Losses.ipynb": notebook(unmarked((ROOT / "solutions" / "losses.py")
                                                    .read_text()))})
    results, stdout = run_autograder(root)
    validate(results)
    assert results["score"] == exercises.load("losses").points
    assert "losses: Losses.ipynb" in stdout


def test_a_broken_autograder_still_writes_a_result(bundles, tmp_path):
    root = unpack(bundles / "activations.zip", tmp_path / "root")
    (root / "source" / "solutions" / "activations.py").unlink()
    submit(root, {"activations.py": REFERENCE})
    results, stdout = run_autograder(root)
    validate(results)
    assert results["score"] == 0 and "not of your work" in results["output"]
    assert "NoReference" in stdout  # the traceback is for the instructor


def test_a_python_that_does_not_start_still_gives_a_result(bundles, tmp_path):
    root = unpack(bundles / "activations.zip", tmp_path / "root")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("#!/bin/sh\nexit 3\n")
    os.chmod(venv / "bin" / "python", 0o755)
    submit(root, {"activations.py": REFERENCE})
    results, stdout = run_autograder(root, venv)
    validate(results)
    assert results["score"] == 0 and "status 3" in stdout


def test_self_test_grades_the_reference(bundles, tmp_path):
    with zipfile.ZipFile(bundles / "activations.zip") as archive:
        archive.extractall(tmp_path / "source")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "source")}
    done = subprocess.run([sys.executable, "-P", "-m", "autograder.platforms.gradescope",
                           "--self-test"], cwd=tmp_path / "source", env=env,
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout + done.stderr
    most = exercises.load("activations").points
    assert f"self-test: the reference solution of activations scored {most:g}/{most:g}" \
        in done.stdout


# ---------------------------------------------------------------- lenient names

@pytest.mark.parametrize("name, rank", [
    ("activations.py", 0), ("activations.ipynb", 0), ("Activations.py", 1),
    ("activations.PY", 1), ("activations (1).py", 2), ("activations_final.py", 2),
    ("activations-v2.ipynb", 2), ("hw2_activations.py", 3), ("my activations.py", 3),
    ("activationsfinal.py", None), ("activations.txt", None), ("losses.py", None),
    ("activations.py.txt", None),
])
def test_name_tiers(name, rank):
    assert tier(name, "activations") == rank


def test_zip_member_is_copied_out_under_our_own_name(tmp_path):
    (tmp_path / "sub.zip").write_bytes(zipped({"a/b/Activations.py": "x = 1\n"}))
    found = find_submission(tmp_path, "activations")
    try:
        assert found.path.name == "activations.py" and found.path.read_text() == "x = 1\n"
        assert not found.path.is_relative_to(tmp_path)
    finally:
        found.cleanup()
    assert not found.path.exists()
