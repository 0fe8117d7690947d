"""Finding submissions in the layouts instructors use, and reading their code."""

from __future__ import annotations

import nbformat
import pytest

from autograder.config import ConfigError, load_config
from autograder.grading.submissions import UnreadableSubmission, find_submissions, read_cells

KNOWN = {"activations", "losses"}


def notebook(*cells: str) -> str:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# title"),
                *(nbformat.v4.new_code_cell(c) for c in cells)]
    return nbformat.writes(nb)


def test_every_layout_is_found(tmp_path):
    files = {"ann/activations.py": "", "bo/losses.ipynb": notebook("x = 1"),
             "cy/losses/losses.ipynb": notebook("x = 1"),  # nbgrader's submitted/ layout
             "dee/activations.py": "", "dee/activations.ipynb": notebook(""),
             "eve/activation.py": "", "eve/notes.txt": "", ".hidden/losses.py": ""}
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    found, notes = find_submissions(tmp_path, KNOWN)
    assert [(s.student, s.exercise, s.path.name) for s in found] == [
        ("ann", "activations", "activations.py"), ("bo", "losses", "losses.ipynb"),
        ("cy", "losses", "losses.ipynb"), ("dee", "activations", "activations.py")]
    assert any("activations.ipynb" in n and "activations.py is graded instead" in n
               for n in notes)
    assert any("activation.py" in n and "no exercise is called 'activation'" in n
               for n in notes)
    only, _ = find_submissions(tmp_path, KNOWN, {"losses"})
    assert {s.student for s in only} == {"bo", "cy"}


def test_notebook_code_cells_run_in_order_with_magics_disabled(tmp_path):
    path = tmp_path / "losses.ipynb"
    path.write_text(notebook("%matplotlib inline\nimport numpy as np", "!pip install x\ny = 2"))
    assert read_cells(path) == ["# %matplotlib inline\nimport numpy as np",
                                "# !pip install x\ny = 2"]


@pytest.mark.parametrize("name, data, problem", [
    ("losses.py", b"\xff\xfe\x00garbage", "not a text file"),
    ("losses.py", b"x = 1\x00\x00", "binary file"),
    ("losses.ipynb", b"{not json", "not a valid notebook"),
])
def test_unreadable_files_are_explained(tmp_path, name, data, problem):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(UnreadableSubmission, match=problem):
        read_cells(path)


@pytest.mark.parametrize("toml, problem", [
    ("[grading]\nseed = 'x'\n", "seed must be a non-negative whole number"),
    ("[grading]\nworkers = 1.5\n", "workers must be"),
    ("[grading]\nseconds_per_part = -1\n", "seconds_per_part must be"),
    ("[grading\n", "cannot read"),
])
def test_bad_settings_are_explained(tmp_path, toml, problem):
    path = tmp_path / "backprop.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError, match=problem):
        load_config(path)


def test_settings_override_defaults(tmp_path):
    path = tmp_path / "backprop.toml"
    path.write_text("[grading]\nseed = 11\nseconds_per_part = 2.5\n")
    config = load_config(path)
    assert (config.seed, config.seconds_per_part) == (11, 2.5)
    assert config.override(seed=None, workers=3).workers == 3
