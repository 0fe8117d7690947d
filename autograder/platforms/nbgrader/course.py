"""The course for nbgrader: a course directory, and notebook submissions made from files.

Everything here is generated from the one source of truth — the reference
solutions in ``solutions/`` and the exercise declarations — never kept by hand:

* :func:`init` — ``backprop nbgrader init DIR``: ``nbgrader_config.py``,
  ``backprop.toml`` (from the files of ``templates/``) and the source
  notebooks of every exercise (:func:`autograder.authoring.notebooks.source_notebook`);
* :func:`cell_timeout` — the seconds a notebook cell may take, which the
  course's ``nbgrader_config.py`` asks for;
* :func:`fill_notebook` — a released notebook with a ``.py`` file's code in
  its cells: a notebook submission made from a file.

The gradebook is :mod:`autograder.platforms.nbgrader.gradebook`'s, the test
cells' side :mod:`autograder.platforms.nbgrader.runtime`.
"""

from __future__ import annotations

import math
from pathlib import Path
from string import Template

import nbformat

from autograder import exercises
from autograder.authoring import CHECKOUT, in_language
from autograder.authoring.notebooks import NotebookError, dumps, pieces, source_notebook
from autograder.config import Config, load_config
from autograder.i18n import DEFAULT, N_, _

DEFAULT_COURSE = "backprop"
#: What nbgrader puts in place of a solution region: a raise with a hint (translated).
CODE_STUB = 'raise NotImplementedError("{hint}")'
HINT = N_("your code here")
#: ``lang`` of the course directory's ``backprop.toml`` in another language than English.
LANG_SETTING = 'lang = "{lang}"           # the language of the feedback: en or zh\n\n'
#: The course directory's files that are written from a template: ``<name>.template``.
TEMPLATES = Path(__file__).resolve().with_name("templates")


class CourseError(ValueError):
    """A course directory or gradebook that cannot be used as asked; the message says why."""


# --------------------------------------------------------------------------- course directory

def cell_timeout(settings: Path | None = None) -> int:
    """Seconds a notebook cell may take: loading plus every part of the largest exercise."""
    config = load_config(settings) if settings and settings.is_file() else Config()
    most = max(len(exercises.load(i).parts) for i in exercises.ids())
    return int(math.ceil((2 + most) * config.seconds_per_part)) + 30


def _template(name: str, **values: str) -> str:
    """The course directory's file ``name`` from ``templates/<name>.template``, each
    ``$placeholder`` replaced by its value (every one must be given)."""
    return Template((TEMPLATES / f"{name}.template").read_text()).substitute(values)


def course_files(course_id: str = DEFAULT_COURSE, solutions: Path | None = None,
                 root: Path = CHECKOUT, lang: str = DEFAULT) -> dict[Path, str]:
    """The files of a course directory, by path relative to it.

    With ``solutions``, ``nbgrader_config.py`` points the test cells to that
    folder of reference solutions (``BACKPROP_SOLUTIONS``). In another ``lang`` than
    English, the notebooks' text, docstrings, comments and hints are in ``lang``, and
    ``backprop.toml`` asks for feedback in it.
    """
    pointer = ""
    if solutions is not None:
        pointer = f'os.environ["BACKPROP_SOLUTIONS"] = {str(solutions.resolve())!r}\n'
    defaults = Config()
    with in_language(lang):
        stub = CODE_STUB.format(hint=_(HINT).replace('"', "'"))
    files = {
        Path("nbgrader_config.py"): _template("nbgrader_config.py", course_id=repr(course_id),
                                             stub=repr(stub)) + pointer,
        Path("backprop.toml"): _template(
            "backprop.toml", seed=str(defaults.seed), seconds=f"{defaults.seconds_per_part:g}",
            memory=str(defaults.memory_mb),
            lang="" if lang == DEFAULT else LANG_SETTING.format(lang=lang)),
    }
    for exercise_id in exercises.ids():
        try:
            notebook = source_notebook(exercise_id, root, lang)
        except NotebookError as exc:
            raise CourseError(str(exc)) from None
        files[Path("source") / exercise_id / f"{exercise_id}.ipynb"] = dumps(notebook)
    return files


def init(directory: Path, course_id: str = DEFAULT_COURSE, solutions: Path | None = None,
         force: bool = False, lang: str = DEFAULT) -> list[Path]:
    """Create (or update) an nbgrader course directory, its texts in ``lang`` (see
    :func:`course_files`); returns the files written.

    An existing file with other content is kept unless ``force``: the
    instructor may have edited it.  The source notebooks are regenerated
    whenever they differ from what the checkout gives and ``force`` is set.
    """
    if directory.exists() and not directory.is_dir():
        raise CourseError(_("{path} is a file; give a folder for the course").format(
            path=directory))
    if solutions is not None and not any(solutions.glob("*.py")):
        raise CourseError(_("{folder} holds no reference solutions (solutions/<id>.py)").format(
            folder=solutions))
    files = course_files(course_id, solutions, lang=lang)
    conflicts = [p for p, text in files.items()
                 if (directory / p).is_file() and (directory / p).read_text() != text]
    if conflicts and not force:
        raise CourseError(_("{folder} already has {files} with other content; rerun with "
                            "--force to overwrite them").format(
            folder=directory, files=", ".join(str(p) for p in conflicts)))
    written = []
    for relative, text in files.items():
        target = directory / relative
        if target.is_file() and target.read_text() == text:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        written.append(target)
    return written


# --------------------------------------------------------------------------- submissions

def fill_notebook(notebook: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    """A copy of ``notebook`` with the code of the ``.py`` file ``source`` in its cells.

    Each solution cell gets the file's function of its name, the first code
    cell the file's header (imports, constants); the file's other functions
    and statements go in new cells at the end.  This is how a ``.py``
    submission — the sample class, say — becomes a notebook submission.
    """
    filled = nbformat.reads(nbformat.writes(notebook), as_version=4)
    _docstring, found = pieces(source)
    by_name = {p.name: p.text for p in found if p.name}
    header = next(p.text for p in found if p.name is None)
    used = set()
    for cell in filled.cells:
        grading = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or grading.get("grade"):
            continue
        name = grading.get("grade_id") if grading.get("solution") else cell.get("id")
        if name in by_name:
            cell.source = by_name[name]
            used.add(name)
        elif not grading and None not in used:  # the first plain code cell: the header's
            cell.source = header
            used.add(None)
    extra = [text for name, text in by_name.items() if name not in used]
    if None not in used and header:
        extra.insert(0, header)
    for index, text in enumerate(extra):
        filled.cells.append(nbformat.v4.new_code_cell(text, id=f"extra-{index}"))
    return filled
