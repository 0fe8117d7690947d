"""The course under nbgrader: generated notebooks, the real nbgrader pipeline, the gradebook.

The pipeline test runs nbgrader's own command line in a course directory made by
``backprop nbgrader init`` — generate_assignment, autograde, generate_feedback,
export — on notebook submissions that are correct, wrong, stubs, looping, broken
or tampered with, and holds nbgrader's score of every test cell against
``backprop grade``'s score of the same function on the same notebooks.
"""

from __future__ import annotations

import ast
import builtins
import csv
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder import exercises
from autograder.authoring import markers, notebooks
from autograder.cli import main
from autograder.config import Config
from autograder.grading import submissions
from autograder.grading.grader import Grader
from autograder.grading.submissions import Submission, read_cells
from autograder.platforms.nbgrader import course, gradebook
from autograder.platforms.nbgrader import runtime as cells_api

ROOT = Path(__file__).resolve().parent.parent
IDS = exercises.ids()
PIPELINE = ("activations", "losses")  # the exercises the nbgrader pipeline runs on
WRONG = {"activations": ("ben", "leo"), "losses": ("chen", "emil")}


def needs_nbgrader() -> None:
    """Skip without nbgrader on a developer's machine; fail in CI, which must install it."""
    if importlib.util.find_spec("nbgrader") is None:
        message = 'nbgrader is not installed — pip install -e ".[test]"'
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


def flat(text: str) -> str:
    """Text without comment marks and line breaks, to find a wrapped line in it."""
    return " ".join(text.replace("#", " ").split())


def grading(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


# --------------------------------------------------------------------------- notebooks

@pytest.mark.parametrize("exercise_id", IDS)
def test_source_notebook_follows_the_grading_contract(exercise_id):
    exercise = exercises.load(exercise_id)
    notebook = notebooks.source_notebook(exercise_id)
    nbformat.validate(notebook)
    graded = [c for c in notebook.cells if grading(c)]
    ids = [grading(c)["grade_id"] for c in graded]
    assert len(ids) == len(set(ids))
    for part in exercise.parts:
        solution = next(c for c in graded if grading(c)["grade_id"] == part.name)
        test = next(c for c in graded if grading(c)["grade_id"] == f"test_{part.name}")
        assert grading(solution) == {"grade": False, "solution": True, "locked": False,
                                     "grade_id": part.name, "schema_version": 3}
        assert grading(test) == {"grade": True, "solution": False, "locked": True,
                                 "grade_id": f"test_{part.name}", "points": part.points,
                                 "schema_version": 3}
        assert f"def {part.name}(" in solution.source and markers.BEGIN in solution.source
        public, rest = test.source.split(markers.HIDDEN_BEGIN)
        hidden = rest.split(markers.HIDDEN_END)[0]
        assert f'grade_part("{exercise_id}", "{part.name}", hidden=True)' in hidden
        for check in part.checks:  # listed: public ones in view, hidden ones in the block
            assert flat(check.title) in flat(public if check.public else hidden)
        assert notebook.cells.index(test) == notebook.cells.index(solution) + 1
    assert notebook.metadata.kernelspec.name == "python3"
    intro = notebook.cells[0]
    assert intro.cell_type == "markdown" and f"exercises/{exercise_id}" in intro.source
    # the notebook's code is the reference: graded as a submission, it gets every point
    code = "\n\n".join(c.source for c in notebook.cells
                       if c.cell_type == "code" and not grading(c).get("grade"))
    assert markers.unmarked(code).count("def ") >= len(exercise.parts)


@pytest.mark.parametrize("exercise_id", IDS)
def test_student_notebook_is_current_and_gives_nothing_away(exercise_id):
    path = ROOT / "exercises" / f"{exercise_id}.ipynb"
    text = path.read_text()
    assert text == notebooks.dumps(notebooks.student_notebook(exercise_id)), "run `backprop build`"
    secret = markers.secret_lines((ROOT / "solutions" / f"{exercise_id}.py").read_text())
    notebook = nbformat.reads(text, as_version=4)
    shown = {line.strip() for c in notebook.cells for line in c.source.splitlines()}
    assert not secret & shown
    assert "HIDDEN" not in text and "hidden=True" not in text and markers.BEGIN not in text
    assert all(c.metadata.get("editable") is False for c in notebook.cells
               if grading(c).get("grade"))
    stubs = [c for c in notebook.cells if grading(c).get("solution")]
    assert all("raise NotImplementedError" in c.source for c in stubs)


def test_a_notebook_submission_is_graded_like_the_same_code_in_a_file(tmp_path):
    reference = markers.unmarked((ROOT / "solutions" / "losses.py").read_text())
    filled = course.fill_notebook(notebooks.student_notebook("losses"), reference)
    (tmp_path / "nb").mkdir()
    (tmp_path / "py").mkdir()
    (tmp_path / "nb" / "losses.ipynb").write_text(notebooks.dumps(filled))
    (tmp_path / "py" / "losses.py").write_text(reference)
    grader = Grader(Config(workers=2), ["losses"], hidden=True)
    as_notebook, as_file = grader.grade_all([
        Submission("nb", "losses", tmp_path / "nb" / "losses.ipynb"),
        Submission("py", "losses", tmp_path / "py" / "losses.py")])
    assert as_notebook.score == as_file.score == exercises.load("losses").points
    assert not any("grade_part" in c for c in read_cells(tmp_path / "nb" / "losses.ipynb"))


def test_hidden_tests_are_cleared_as_nbgrader_clears_them():
    needs_nbgrader()
    from nbgrader.preprocessors import ClearHiddenTests

    cells = [c for i in IDS for c in notebooks.source_notebook(i).cells if grading(c).get("grade")]
    assert cells and all(markers.HIDDEN_BEGIN in c.source for c in cells)
    for cell in cells:
        theirs = nbformat.from_dict(cell)
        ClearHiddenTests()._remove_hidden_test_region(theirs)
        assert markers.without_hidden_tests(cell.source) == theirs.source
    source = "a\n### BEGIN HIDDEN TESTS\nb\n### END HIDDEN TESTS\nc"
    assert markers.without_hidden_tests(source) == "a\nc"


@pytest.mark.parametrize("source, problem", [
    ("a\n### BEGIN HIDDEN TESTS\nb", "cell: a ### BEGIN HIDDEN TESTS region is never closed"),
    ("a\n### END HIDDEN TESTS\nb", "cell:2: ### END HIDDEN TESTS without a ### BEGIN"),
    ("### BEGIN HIDDEN TESTS\n### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS",
     "cell:2: ### BEGIN HIDDEN TESTS inside another hidden-test region"),
])
def test_unpaired_hidden_test_markers_are_reported(source, problem):
    with pytest.raises(markers.MarkerError, match=problem):
        markers.without_hidden_tests(source, "cell")


def test_a_test_cell_with_an_unclosed_hidden_block_stops_the_build(monkeypatch):
    made = notebooks.checks_cell
    monkeypatch.setattr(notebooks, "checks_cell", lambda exercise, part: made(
        exercise, part).replace(markers.HIDDEN_END, "# the end marker, lost"))
    with pytest.raises(markers.MarkerError, match="losses.ipynb: a ### BEGIN HIDDEN TESTS "
                                                  "region is never closed"):
        notebooks.student_notebook("losses")


# A notebook cell as written in Jupyter, and as graded: magics and shell commands never run.
MAGICS = {
    "%matplotlib inline\nimport numpy as np": "# %matplotlib inline\nimport numpy as np",
    "%%bash\necho hi\nls -l /": "# %%bash\n# echo hi\n# ls -l /",
    "files = !ls\nx = 1": "# files = !ls\nx = 1",
    "if True:\n    !pip install x\n    y = 1": "if True:\n#     !pip install x\n    y = 1",
    "%%time\nz = 2\n%ls": "# %%time\nz = 2\n# %ls",  # %%time runs its cell: z = 2 is code
    'text = """\n%not a magic\n"""': 'text = """\n%not a magic\n"""',
    "np.sum?\nget_ipython().system('ls')": "# np.sum?\n# get_ipython().system('ls')",
}


def write_cells(path: Path, cells) -> Path:
    """A notebook at ``path`` with these code cells."""
    path.write_text(nbformat.writes(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(c) for c in cells])))
    return path


def test_magics_and_shell_commands_are_commented_out_as_ipython_reads_them(tmp_path):
    pytest.importorskip("IPython")
    cells = read_cells(write_cells(tmp_path / "losses.ipynb", MAGICS))
    assert cells == list(MAGICS.values())
    for cell in cells:
        compile(cell, "cell", "exec")


@pytest.fixture
def without_ipython(monkeypatch):
    """As in the students' light install, where IPython may be missing."""
    for module in ("IPython", "IPython.core.inputtransformer2"):  # imports of them fail
        monkeypatch.setitem(sys.modules, module, None)
    submissions._ipython_transform.cache_clear()
    yield
    submissions._ipython_transform.cache_clear()


def test_without_ipython_lines_starting_with_a_magic_are_commented_out(tmp_path,
                                                                       without_ipython):
    path = write_cells(tmp_path / "losses.ipynb",
                       ["%matplotlib inline\nimport numpy as np", "!pip install x\ny = 2",
                        "%%bash\necho hi", 'text = """\n%s\n"""'])
    assert read_cells(path) == ["# %matplotlib inline\nimport numpy as np",
                                "# !pip install x\ny = 2", "# %%bash\necho hi",
                                'text = """\n# %s\n"""']


# --------------------------------------------------------------------------- test cells

@pytest.fixture
def autograding(tmp_path, monkeypatch):
    """A folder laid out as nbgrader's autograde runs a notebook, as the kernel's cwd."""
    folder = tmp_path / "autograded" / "zoe" / "activations"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    settings = tmp_path / "backprop.toml"
    settings.write_text("[grading]\nseed = 7\nseconds_per_part = 3\n")
    monkeypatch.setenv(cells_api.CONFIG_VARIABLE, str(settings))
    return folder


def notebook_with(exercise_id: str, source: str) -> nbformat.NotebookNode:
    return course.fill_notebook(notebooks.source_notebook(exercise_id), source)


def test_test_cells_score_each_function_as_backprop_grade_does(autograding, capsys):
    ben = (ROOT / "samples" / "class" / "ben" / "activations.py").read_text()
    path = autograding / "activations.ipynb"
    path.write_text(notebooks.dumps(notebook_with("activations", ben)))
    (expected,) = Grader(Config(seed=7, seconds_per_part=3, workers=1), ["activations"],
                         hidden=True).grade_all([Submission("zoe", "activations", path)])
    exercise = exercises.load("activations")
    for part, want in zip(exercise.parts, expected.parts):
        public = cells_api.grade_part("activations", part.name)
        total = cells_api.grade_part("activations", part.name, hidden=True)
        assert type(public) is float and type(total) is float
        assert total == want.score <= part.points
        assert public == sum(c.score for c in want.checks if c.public)
    captured = capsys.readouterr()
    assert captured.err == ""
    assert "1 − tanh(x)²" in captured.out and "tanh_grad: 0 / 3 points" in captured.out


def test_a_stub_scores_zero_with_our_feedback(autograding, capsys):
    stub = markers.stub((ROOT / "solutions" / "losses.py").read_text())
    (autograding / "losses.ipynb").write_text(notebooks.dumps(notebook_with("losses", stub)))
    assert cells_api.grade_part("losses", "softmax", hidden=True) == 0.0
    out = capsys.readouterr().out
    assert "not implemented yet" in out and "softmax: 0 / 4 points" in out


def test_in_a_session_the_cells_run_so_far_are_graded(monkeypatch, tmp_path, capsys):
    """Interactively, the test cell grades what the kernel ran, test cells excepted."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.chdir(tmp_path)
    source = notebooks.source_notebook("activations")
    ran = ["", "%matplotlib inline\nimport numpy as np", "%%bash\necho hi\nls -l", "x = !ls"]
    for cell in source.cells:
        if grading(cell).get("grade_id") in ("relu", "test_relu"):
            ran.append(markers.unmarked(cell.source))
    ran.append("def relu_grad(x):\n    return x")  # run, but not asked about

    class History:
        input_hist_raw = ran

    class Shell:
        history_manager = History()

    monkeypatch.setattr(builtins, "get_ipython", lambda: Shell(), raising=False)
    assert cells_api.grade_part("activations", "relu") == 2.0
    assert cells_api.grade_part("activations", "relu_grad") == 0.0
    out = capsys.readouterr().out
    assert "Every public check passes" in out
    assert "  ! " not in out  # no cell failed: the magics did not run


# --------------------------------------------------------------------------- init and gradebook

def test_init_writes_a_course_directory_once(tmp_path, capsys):
    target = tmp_path / "course"
    assert main(["nbgrader", "init", str(target)]) == 0
    for exercise_id in IDS:
        notebook = target / "source" / exercise_id / f"{exercise_id}.ipynb"
        assert notebook.read_text() == notebooks.dumps(notebooks.source_notebook(exercise_id))
    config = (target / "nbgrader_config.py").read_text()
    for setting in ("course_id = 'backprop'", "sqlite:///", "Execute.timeout",
                    'kernel_name = "python3"', "ClearHiddenTests", "IgnorePattern.pattern",
                    "BACKPROP_CONFIG"):
        assert setting in config
    compile(config, "nbgrader_config.py", "exec")
    assert main(["nbgrader", "init", str(target)]) == 0  # nothing to do
    (target / "backprop.toml").write_text("[grading]\nseed = 1\n")
    capsys.readouterr()
    assert main(["nbgrader", "init", str(target)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["nbgrader", "init", str(target), "--force"]) == 0


def test_cell_timeout_leaves_room_to_grade_a_whole_notebook(tmp_path):
    settings = tmp_path / "backprop.toml"
    settings.write_text("[grading]\nseconds_per_part = 2\n")
    most = max(len(exercises.load(i).parts) for i in IDS)
    assert course.cell_timeout(settings) >= (2 + most) * 2


def test_grades_go_into_a_new_gradebook(tmp_path):
    needs_nbgrader()
    from nbgrader import api
    results = Grader(Config(workers=2), ["losses"], hidden=True).grade_all([
        Submission(s, "losses", ROOT / "samples" / "class" / s / "losses.py")
        for s in ("ben", "chen")])
    db = tmp_path / "gradebook.db"
    assert gradebook.write_gradebook(results, str(db)) == 8
    assert gradebook.write_gradebook(results, str(tmp_path)) == 8  # again, and by folder
    with api.Gradebook(f"sqlite:///{db}") as book:
        for result in results:
            submission = book.find_submission("losses", result.student)
            assert submission.score == pytest.approx(result.score)
            assert submission.max_score == pytest.approx(result.max_score)
            for part in result.parts:
                grade = book.find_grade(f"test_{part.name}", "losses", "losses", result.student)
                assert (grade.score, grade.needs_manual_grade) == (part.score, False)


# --------------------------------------------------------------------------- the real pipeline

def nbgrader(folder: Path, *args: str) -> str:
    """Run nbgrader's command line in the course folder; its output (it must succeed)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("NBGRADER_EXECUTION", cells_api.CONFIG_VARIABLE)}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # alembic
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    print(f"nbgrader {' '.join(args)}: {time.perf_counter() - start:.1f} s")
    return done.stdout + done.stderr


def solution_cells(notebook) -> dict[str, nbformat.NotebookNode]:
    return {grading(c)["grade_id"]: c for c in notebook.cells if grading(c).get("solution")}


def after_docstring(source: str, code: str) -> str:
    """``source`` with ``code`` inserted after the docstring of its (first) function."""
    function = next(n for n in ast.parse(source).body if isinstance(n, ast.FunctionDef))
    lines = source.splitlines(keepends=True)
    at = function.body[0].end_lineno
    return "".join(lines[:at]) + code + "".join(lines[at:])


def class_of(release: nbformat.NotebookNode, exercise_id: str) -> dict[str, object]:
    """Notebook submissions made from the released notebook of ``exercise_id``."""
    reference = markers.unmarked((ROOT / "solutions" / f"{exercise_id}.py").read_text())
    subs = {"correct": course.fill_notebook(release, reference), "stub": release}
    for student in WRONG[exercise_id]:  # the sample class's mistakes
        path = ROOT / "samples" / "class" / student / f"{exercise_id}.py"
        subs[student] = course.fill_notebook(release, path.read_text())
    first, second = list(exercises.load(exercise_id).parts)[:2]
    broken = course.fill_notebook(release, reference)  # a syntax error in one cell
    solution_cells(broken)[second.name].source += "\n\ndef oops(:\n    pass\n"
    subs["syntax"] = broken
    looping = course.fill_notebook(release, reference)  # a function that never returns
    cell = solution_cells(looping)[first.name]
    cell.source = after_docstring(cell.source, "    while True:\n        pass\n")
    subs["looping"] = looping
    if exercise_id == "activations":
        stuck = course.fill_notebook(release, reference)  # top-level code that never ends
        solution_cells(stuck)[second.name].source += "\n\nwhile True:\n    pass\n"
        subs["stuck"] = stuck
        tampered = nbformat.reads(nbformat.writes(release), as_version=4)
        for cell in tampered.cells:  # stubs, and test cells rewritten to claim every point
            if grading(cell).get("grade"):
                cell.source = f"{float(grading(cell)['points'])}"
        subs["tampered"] = tampered
    return subs


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    """The whole instructor pipeline, once: nbgrader's route and ``backprop grade``'s."""
    needs_nbgrader()
    folder = tmp_path_factory.mktemp("nbgrader") / "course"
    assert main(["nbgrader", "init", str(folder)]) == 0
    (folder / "backprop.toml").write_text("[grading]\nseed = 11\nseconds_per_part = 3\n")
    with (folder / "nbgrader_config.py").open("a") as config:
        config.write("\nc.Execute.timeout = 20  # the test's top-level infinite loop waits this\n")
    for exercise_id in PIPELINE:
        nbgrader(folder, "generate_assignment", exercise_id, "--force")
    shutil.copy(folder / "gradebook.db", folder / "fast.db")  # assignments, no submissions
    submitted = {}
    for exercise_id in PIPELINE:
        release = nbformat.read(folder / "release" / exercise_id / f"{exercise_id}.ipynb", 4)
        assert "HIDDEN" not in nbformat.writes(release)
        for student, notebook in class_of(release, exercise_id).items():
            target = folder / "submitted" / student / exercise_id / f"{exercise_id}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, target)
            submitted[student, exercise_id] = target
    for exercise_id in PIPELINE:
        nbgrader(folder, "autograde", exercise_id, "--force")
        nbgrader(folder, "generate_feedback", exercise_id, "--force")
    nbgrader(folder, "export", "--to", str(folder / "nbgrader.csv"))
    records = folder / "backprop.jsonl"
    assert main(["grade", str(folder / "submitted"), "--config", str(folder / "backprop.toml"),
                 "--json", str(records), "--journal", str(folder / "journal.jsonl"),
                 "--gradebook", str(folder / "fast.db")]) == 0
    nbgrader(folder, "export", "--db", f"sqlite:///{folder / 'fast.db'}",
             "--to", str(folder / "fast.csv"))
    ours = {(r["student"], r["exercise"]): r
            for r in map(json.loads, records.read_text().splitlines())}
    assert set(ours) == set(submitted)
    return folder, ours


def nbgrader_scores(folder: Path, db: str = "gradebook.db") -> dict:
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{folder / db}") as book:
        for exercise_id in PIPELINE:
            for submission in book.assignment_submissions(exercise_id):
                for grade in submission.notebooks[0].grades:
                    scores[submission.student.id, exercise_id, grade.name] = grade.score
    return scores


def test_nbgrader_scores_equal_backprop_grade_part_by_part(pipeline):
    folder, ours = pipeline
    theirs = nbgrader_scores(folder)
    expected = {(student, exercise_id, f"test_{part['name']}"): part["score"]
                for (student, exercise_id), record in ours.items() for part in record["parts"]}
    assert theirs == expected
    # the class is not all zeros or all full marks: the comparison means something
    totals = {key: r["score"] for key, r in ours.items()}
    assert totals["correct", "activations"] == exercises.load("activations").points
    assert totals["stub", "activations"] == totals["stuck", "activations"] == 0
    assert 0 < totals["looping", "activations"] < totals["correct", "activations"]
    assert 0 < totals["syntax", "losses"] < totals["correct", "losses"]
    assert 0 < totals["ben", "activations"] < totals["correct", "activations"]


def test_an_edited_test_cell_gains_nothing(pipeline):
    folder, ours = pipeline
    assert ours["tampered", "activations"]["score"] == 0
    graded = nbformat.read(folder / "autograded" / "tampered" / "activations" /
                           "activations.ipynb", 4)
    tests = [c for c in graded.cells if grading(c).get("grade")]
    assert tests and all("grade_part(" in c.source for c in tests)  # restored by nbgrader


def test_test_cells_print_to_stdout_and_end_with_their_points(pipeline):
    folder, ours = pipeline
    for (student, exercise_id), record in ours.items():
        graded = nbformat.read(folder / "autograded" / student / exercise_id /
                               f"{exercise_id}.ipynb", 4)
        scores = {f"test_{p['name']}": p["score"] for p in record["parts"]}
        for cell in graded.cells:
            if not grading(cell).get("grade"):
                continue
            kinds = [(o.output_type, o.get("name")) for o in cell.outputs]
            assert ("stream", "stderr") not in kinds and ("error", None) not in kinds, kinds
            (value,) = [o.data["text/plain"] for o in cell.outputs
                        if o.output_type == "execute_result"]
            assert float(value) == scores[grading(cell)["grade_id"]]


def test_feedback_shows_results_but_not_the_hidden_tests(pipeline):
    folder, ours = pipeline
    for student, exercise_id in ours:
        html = (folder / "feedback" / student / exercise_id / f"{exercise_id}.html").read_text()
        assert "HIDDEN TESTS" not in html and "hidden=True" not in html
        assert "all checks, public and hidden" in html
    ben = (folder / "feedback" / "ben" / "activations" / "activations.html").read_text()
    assert "apply tanh first" in ben


def read_export(path: Path) -> dict:
    with path.open() as f:
        return {(row["student_id"], row["assignment"]): (float(row["score"]),
                                                         float(row["max_score"]))
                for row in csv.DictReader(f)}


def test_nbgrader_export_and_the_fast_path_agree(pipeline):
    folder, ours = pipeline
    expected = {key: (r["score"], r["max_score"]) for key, r in ours.items()}
    for export in ("nbgrader.csv", "fast.csv"):  # nbgrader's route; backprop grade --gradebook
        rows = read_export(folder / export)
        assert {key: rows[key] for key in expected} == expected
        assert all(score == 0 for key, (score, _) in rows.items() if key not in expected)
    assert nbgrader_scores(folder, "fast.db") == nbgrader_scores(folder)
