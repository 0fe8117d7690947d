"""Finding submissions on disk and reading their code.

Layouts accepted under a class folder ``ROOT``::

    ROOT/<student>/<exercise>.py           (or .ipynb)
    ROOT/<student>/<exercise>/<exercise>.ipynb   (nbgrader's submitted/ layout)

A notebook's code cells are run in order, except nbgrader's autograded test
cells (they hold the course's tests, not the student's code); IPython magics
and shell escapes (``%...``, ``!...``, ``%%bash`` cells) are commented out,
since a plain interpreter runs the cells (:func:`strip_magics`).
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from autograder.i18n import _

SUFFIXES = (".py", ".ipynb")
#: Cell magics that run the rest of their cell as Python in the kernel's namespace: their
#: code is the student's and is kept; any other cell magic's cell is not Python.
PYTHON_CELL_MAGICS = ("time", "capture", "prun")
_CALLS_IPYTHON = re.compile(r"\bget_ipython\s*\(")


@dataclass(frozen=True)
class Submission:
    """One student's file for one exercise."""

    student: str
    exercise: str
    path: Path


class UnreadableSubmission(Exception):
    """The file cannot be read as Python code or as a notebook; the message says why."""


def exercise_of(path: Path) -> str:
    """The exercise id of a submitted file: its stem."""
    return path.stem


def find_submissions(root: Path, known: set[str],
                     wanted: set[str] | None = None) -> tuple[list[Submission], list[str]]:
    """The submissions under ``root`` for the ``wanted`` exercise ids (default: all ``known``).

    Returns them with notes on the files that were skipped: files named after
    no known exercise (a misnamed submission, most likely) are listed.
    Submissions are sorted by student, then exercise.  When a student has both
    a ``.py`` and an ``.ipynb`` for one exercise, the ``.py`` is graded and a
    note says so.
    """
    if not root.is_dir():
        raise FileNotFoundError(_("{path} is not a folder").format(path=root))
    found: dict[tuple[str, str], Submission] = {}
    notes = []
    for student_dir in sorted(p for p in root.iterdir() if p.is_dir()):
        if student_dir.name.startswith("."):
            continue
        candidates = [p for p in student_dir.iterdir() if p.suffix in SUFFIXES and p.is_file()]
        candidates += [p / f"{p.name}.ipynb" for p in student_dir.iterdir()
                       if p.is_dir() and (p / f"{p.name}.ipynb").is_file()]
        for path in sorted(candidates, key=lambda p: (p.suffix != ".py", str(p))):
            exercise = exercise_of(path)
            if exercise not in known:
                notes.append(_("skipped {path}: no exercise is called {exercise} (the "
                               "exercises are {exercises})").format(
                    path=path, exercise=repr(exercise), exercises=", ".join(sorted(known))))
                continue
            if wanted is not None and exercise not in wanted:
                continue
            key = (student_dir.name, exercise)
            if key in found:
                notes.append(_("skipped {path}: {graded} is graded instead").format(
                    path=path, graded=found[key].path.name))
                continue
            found[key] = Submission(student_dir.name, exercise, path)
    return [found[k] for k in sorted(found)], notes


def read_cells(path: Path) -> list[str]:
    """The code of a submission as a list of cells (one cell for a ``.py`` file)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableSubmission(_("could not read {file}: {problem}").format(
            file=path.name, problem=exc.strerror)) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableSubmission(_(
            "{file} is not a text file (it is not valid UTF-8); submit the .py or .ipynb file "
            "itself").format(file=path.name)) from None
    if "\x00" in text:
        raise UnreadableSubmission(_("{file} is a binary file, not Python code").format(
            file=path.name))
    if path.suffix != ".ipynb":
        return [text]
    import nbformat

    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds
        raise UnreadableSubmission(_("{file} is not a valid notebook: {problem}").format(
            file=path.name, problem=exc)) from None
    return [strip_magics(cell.source) for cell in notebook.cells
            if cell.cell_type == "code" and not _is_test_cell(cell)]


def _is_test_cell(cell) -> bool:
    """An nbgrader autograded test cell: the grader's, not the student's code."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution")


def strip_magics(source: str) -> str:
    """A code cell with IPython magics and shell escapes commented out: nothing runs them.

    Which lines are magics IPython decides when it is installed, as the kernel
    would (:func:`_magic_lines`): ``%matplotlib inline``, ``!pip install x``,
    ``x = !ls``, ``np.sum?``, in a block too, but not a ``%`` line inside a
    string; a ``%%bash`` cell is commented out whole, and so is any line that
    calls ``get_ipython()`` itself.  Without IPython (the students' light
    install), the lines that start with ``%`` or ``!`` are.  Every line keeps
    its number, so that messages point into the cell as the student sees it.
    """
    lines = source.splitlines()
    return "\n".join(f"# {line}" if magic else line
                     for line, magic in zip(lines, _magic_lines(lines)))


def _magic_lines(lines: list[str]) -> list[bool]:
    """Whether each line of a cell is (part of) a magic, a shell escape or a call of
    ``get_ipython()`` — what a plain interpreter must not run.

    IPython's :class:`~IPython.core.inputtransformer2.TransformerManager` turns
    the cell into the Python the kernel would run, every magic into a call of
    ``get_ipython()`` and nothing else changed (:func:`_ipython_transform`);
    the lines it changed and those that call ``get_ipython()`` are the
    answer.  A cell magic makes the whole cell one call: its cell is all
    magic, unless the magic runs the rest as Python (:data:`PYTHON_CELL_MAGICS`).
    """
    if not any(mark in line for line in lines for mark in ("%", "!", "?", "get_ipython")):
        return [False] * len(lines)  # nothing IPython would turn into a magic: no import
    transform = _ipython_transform()
    if transform is None:
        return [line.lstrip().startswith(("%", "!")) for line in lines]
    if lines and lines[0].startswith("%%"):  # IPython's rule for a cell magic
        name = lines[0][2:].split(maxsplit=1)[:1]
        if name and name[0] in PYTHON_CELL_MAGICS:
            return [True, *_magic_lines(lines[1:])]
        return [True] * len(lines)
    magic = [bool(_CALLS_IPYTHON.search(line)) for line in lines]
    transformed = transform("\n".join(lines) + "\n").splitlines()
    matcher = difflib.SequenceMatcher(None, lines, transformed, autojunk=False)
    for tag, start, end, _j1, _j2 in matcher.get_opcodes():
        if tag != "equal":  # a magic, on one line or several joined by backslashes
            magic[start:end] = [True] * (end - start)
    return magic


@functools.cache
def _ipython_transform():
    """IPython's transformation of a cell into Python, without its clean-up steps (which
    remove prompts, blank lines and indentation, not magics); ``None`` without IPython."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        return None
    manager = TransformerManager()
    manager.cleanup_transforms = []
    return manager.transform_cell
