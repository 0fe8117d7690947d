"""The course for nbgrader: notebooks, a course directory, and grades into its gradebook.

Everything here is generated from the one source of truth — the reference
solutions in ``solutions/`` and the exercise declarations — never kept by hand:

* :func:`source_notebook` — the instructor's notebook of an exercise, nbgrader's
  ``source/<id>/<id>.ipynb``: an introduction linking to the course pages, a
  first code cell with the module's imports and constants, then for every
  graded function its solution cell (``grade_id`` = the function's name,
  the reference with its ``### BEGIN/END SOLUTION`` markers, which nbgrader's
  ``ClearSolutions`` turns into a stub) and its autograded test cell
  (``grade_id`` = ``test_<function>``, the part's points).  The test cell
  runs the public checks; a ``### BEGIN HIDDEN TESTS`` block runs them all
  (see :mod:`autograder.platforms.nbgrader.runtime`);
* :func:`student_notebook` — the same notebook as students get it: stubs and
  no hidden tests (``exercises/<id>.ipynb``, written by ``backprop build``);
* :func:`init` — ``backprop nbgrader init DIR``: ``nbgrader_config.py``,
  ``backprop.toml`` and the source notebooks of every exercise;
* :func:`write_gradebook` — ``backprop grade --gradebook``: ``backprop
  grade`` 's scores as the autograded scores of nbgrader's gradebook, so that
  ``nbgrader export`` and formgrader show them.

nbgrader itself is needed only by :func:`write_gradebook` (and to run the
course, of course); building notebooks needs ``nbformat`` alone.
"""

from __future__ import annotations

import ast
import math
import re
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import exercises
from autograder.authoring import build
from autograder.config import Config, load_config
from autograder.grading.grader import Result
from autograder.spec import Exercise

HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
DEFAULT_COURSE = "backprop"
SCHEMA = 3
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
CODE_STUB = 'raise NotImplementedError("your code here")'
_SNIPPET = re.compile(r"^# --8<-- ")  # the site's snippet markers: not for notebooks
_TOP_DEF = re.compile(r"^(?:async\s+def|def|class)\s+(\w+)")
_CHAPTER_LINK = re.compile(r"\[([^\]]+)\]\(\.\./(chapters/[^)#]+)\.md\)")


class CourseError(ValueError):
    """A course directory or gradebook that cannot be used as asked; the message says why."""


# --------------------------------------------------------------------------- notebooks

@dataclass
class Piece:
    """A top-level stretch of a solution file: the header, or one function and what follows."""

    name: str | None
    text: str
    signature: str = ""


def pieces(source: str) -> tuple[str, list[Piece]]:
    """``(docstring, pieces)`` of a Python file, cut before every top-level definition.

    A definition's piece starts at the comments right above it and runs to the
    next one; the header (imports, constants) is what comes before the first.
    A file Python cannot parse (a student's) is cut at its ``def`` lines.
    """
    lines = source.splitlines(keepends=True)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        tree = None
    docstring, skip, starts = "", set(), []
    if tree is None:
        starts = [(i, found.group(1), "") for i, line in enumerate(lines)
                  if (found := _TOP_DEF.match(line))]
    else:
        docstring = ast.get_docstring(tree) or ""
        if docstring:
            skip = set(range(tree.body[0].lineno - 1, tree.body[0].end_lineno))
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
                signature = "" if isinstance(node, ast.ClassDef) else \
                    f"({ast.unparse(node.args)})"
                starts.append((first - 1, node.name, signature))
    cut = []
    for start, name, signature in starts:
        while start > 0 and (lines[start - 1].startswith(("#", "@"))
                             or not lines[start - 1].strip()):
            start -= 1
        cut.append((start, name, signature))
    header_end = cut[0][0] if cut else len(lines)
    found = [Piece(None, _tidy(lines[i] for i in range(header_end) if i not in skip))]
    for index, (start, name, signature) in enumerate(cut):
        end = cut[index + 1][0] if index + 1 < len(cut) else len(lines)
        found.append(Piece(name, _tidy(lines[start:end]), signature))
    return docstring, found


def _tidy(lines) -> str:
    kept = [line for line in lines if not _SNIPPET.match(line)]
    return "".join(kept).strip("\n")


def checks_cell(exercise: Exercise, part: str) -> str:
    """The test cell of one part: its public checks in view, the hidden ones in the hidden block."""
    checks = exercise.part(part).checks
    listed = {True: [], False: []}
    for check in checks:
        title = " ".join(check.title.split())
        listed[check.public] += textwrap.wrap(f"{title} ({_points(check.points)})", width=94,
                                              initial_indent="#   - ",
                                              subsequent_indent="#     ")
    call = f'grade_part("{exercise.id}", "{part}"'
    lines = [
        f"# Tests of `{part}`, {_points(exercise.part(part).points)}: they run your function in "
        "a sandbox,",
        "# print what is wrong, and end with the points earned.",
        "# Public checks (the same as `backprop check`):",
        *(listed[True] or ["#   (none)"]),
        "from autograder.platforms.nbgrader.runtime import grade_part",
        "",
        f"points = {call})",
        HIDDEN_BEGIN,
        "# Hidden checks, on inputs students do not see:",
        *(listed[False] or ["#   (none)"]),
        f"points = {call}, hidden=True)",
        HIDDEN_END,
        "points",
    ]
    return "\n".join(lines)


def _points(value: float) -> str:
    return f"{value:g} point" + ("" if value == 1 else "s")


def intro(exercise: Exercise, docstring: str, root: Path) -> str:
    """The notebook's first cell: what it is, where the course explains it, how to work."""
    paragraphs = docstring.split("\n\n")
    lead = " ".join(paragraphs[0].split())
    rest = "\n\n".join(" ".join(p.split()) for p in paragraphs[1:])
    page, chapter = _pages(exercise.id, root)
    links = f"The exact contract of every function is on the [exercise page]({page})"
    links += f"; the ideas are taught in [{chapter[0]}]({chapter[1]})." if chapter else "."
    return "\n\n".join(filter(None, [
        f"# {exercise.title}",
        f"*{lead}*",
        rest,
        links,
        f"**How to work.** Each graded function has its own cell: replace its `raise "
        f"NotImplementedError(...)` with your code and run the cell, then run the test cell "
        f"below it. It runs the public checks on your function in a sandbox, prints what is "
        f"wrong, and ends with the points they give. Hidden checks on other inputs run when "
        f"your work is graded ({_points(exercise.points)} in all). Keep the functions' names "
        f"and parameters; add cells and helper functions as you like. Before you submit, "
        f"restart the kernel and run all cells.",
        "The test cells need the course's `backprop` package in the notebook's Python "
        "(`pip install` the course folder). Without Jupyter, `backprop check "
        f"{exercise.id}.ipynb` runs the same public checks.",
    ]))


def _pages(exercise_id: str, root: Path) -> tuple[str, tuple[str, str] | None]:
    """Links to the exercise's page and to the chapter its page names, on the course site.

    With ``site_url`` in ``mkdocs.yml`` the links are absolute; without, they
    are relative to ``exercises/`` in the checkout.
    """
    site = _site_url(root)

    def link(page: str) -> str:
        return f"{site}{page}/" if site else f"../course/{page}.md"

    text = root / "course" / "exercises" / f"{exercise_id}.md"
    found = _CHAPTER_LINK.search(text.read_text()) if text.is_file() else None
    chapter = (found.group(1), link(found.group(2))) if found else None
    return link(f"exercises/{exercise_id}"), chapter


def _site_url(root: Path) -> str:
    config = root / "mkdocs.yml"
    found = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", config.read_text(), re.M) \
        if config.is_file() else None
    return (found.group(1).rstrip("/") + "/") if found else ""


def source_notebook(exercise_id: str, root: Path = build.CHECKOUT) -> nbformat.NotebookNode:
    """The instructor's notebook of an exercise: solutions and hidden tests included."""
    exercise = exercises.load(exercise_id)
    path = root / "solutions" / f"{exercise_id}.py"
    docstring, found = pieces(path.read_text())
    names = {p.name for p in found}
    missing = [p.name for p in exercise.parts if p.name not in names]
    if missing:
        raise CourseError(f"{path} has no function {', '.join(missing)}, which "
                          f"{exercise_id}'s declaration grades")
    points = {p.name: p.points for p in exercise.parts}
    v4 = nbformat.v4
    cells = [_cell(v4.new_markdown_cell(intro(exercise, docstring, root)), "intro")]
    for piece in found:
        if piece.name is None:
            if piece.text:
                cells.append(_cell(v4.new_code_cell(piece.text), "setup"))
            continue
        if piece.name in points:
            cells.append(_cell(v4.new_markdown_cell(
                f"## `{piece.name}{piece.signature}` — {_points(points[piece.name])}"),
                f"about-{piece.name}"))
        if piece.name in points or build.BEGIN in piece.text:
            cells.append(_cell(v4.new_code_cell(piece.text), piece.name,
                               {"grade": False, "solution": True, "locked": False}))
        else:
            cells.append(_cell(v4.new_code_cell(piece.text), piece.name))
        if piece.name in points:
            cells.append(_cell(v4.new_code_cell(checks_cell(exercise, piece.name)),
                               f"test_{piece.name}",
                               {"grade": True, "solution": False, "locked": True,
                                "points": points[piece.name]}))
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata = {"kernelspec": dict(KERNELSPEC),
                         "language_info": {"name": "python"}}
    return notebook


def _cell(cell, cell_id: str, grading: dict | None = None):
    cell.id = cell_id
    if grading is not None:
        cell.metadata["nbgrader"] = {**grading, "grade_id": cell_id, "schema_version": SCHEMA}
    return cell


def student_notebook(exercise_id: str, root: Path = build.CHECKOUT) -> nbformat.NotebookNode:
    """The notebook as students get it: stubbed solutions, no hidden tests, tests locked."""
    notebook = source_notebook(exercise_id, root)
    for cell in notebook.cells:
        grading = cell.metadata.get("nbgrader", {})
        if grading.get("solution"):
            cell.source = build.stub(cell.source, f"{exercise_id}.ipynb").rstrip("\n")
        elif grading.get("grade"):
            cell.source = without_hidden_tests(cell.source)
            cell.metadata.update(deletable=False, editable=False)
    return notebook


def without_hidden_tests(source: str) -> str:
    """``source`` without its hidden-test blocks, markers included (nbgrader's ClearHiddenTests)."""
    out, inside = [], False
    for line in source.splitlines():
        if line.strip() == HIDDEN_BEGIN:
            inside = True
        elif line.strip() == HIDDEN_END:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def dumps(notebook: nbformat.NotebookNode) -> str:
    """The notebook file's text: validated, keys sorted, one trailing newline."""
    nbformat.validate(notebook)
    return nbformat.writes(notebook).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- course directory

CONFIG_TEMPLATE = '''\
"""nbgrader's settings for the backprop course, written by `backprop nbgrader init`.

Run nbgrader from this folder. The notebooks' test cells grade with the settings of
backprop.toml next to this file (the seed of the hidden cases, the time limits), as
`backprop grade` does when run from here.
"""

import os
from pathlib import Path

from autograder.platforms.nbgrader.course import cell_timeout

HERE = Path(__file__).resolve().parent
SETTINGS = HERE / "backprop.toml"

c = get_config()  # noqa: F821 - provided by nbgrader

c.CourseDirectory.root = str(HERE)
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.db_url = f"sqlite:///{{HERE / 'gradebook.db'}}"

# Each notebook runs in a python3 kernel. A cell may take this many seconds: the first test
# cell grades the whole notebook in the sandbox, every function within its own time limit.
c.Execute.kernel_name = "python3"
c.Execute.timeout = cell_timeout(SETTINGS)

# What students get in place of a solution region.
c.ClearSolutions.code_stub = {{"python": {stub!r}}}

# A warning printed to stderr would give a test cell 0 points: warnings are dropped.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"\\w*Warning\\b"

# Feedback shows the hidden checks' results, never their code.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
]

# The test cells read these (the kernels inherit nbgrader's environment).
os.environ["BACKPROP_CONFIG"] = str(SETTINGS)
{solutions}'''

SETTINGS_TEMPLATE = """\
# Settings of `backprop grade` (run from this folder) and of the notebooks' test cells
# under nbgrader: keep them identical and both give the same scores.
[grading]
seed = {seed}               # seed of the hidden random cases: change it each term
seconds_per_part = {seconds:g}    # time limit for one graded function's checks
memory_mb = {memory}         # memory limit for one submission
"""


def cell_timeout(settings: Path | None = None) -> int:
    """Seconds a notebook cell may take: loading plus every part of the largest exercise."""
    config = load_config(settings) if settings and settings.is_file() else Config()
    most = max(len(exercises.load(i).parts) for i in exercises.ids())
    return int(math.ceil((2 + most) * config.seconds_per_part)) + 30


def course_files(course_id: str = DEFAULT_COURSE, solutions: Path | None = None,
                 root: Path = build.CHECKOUT) -> dict[Path, str]:
    """The files of a course directory, by path relative to it."""
    pointer = ""
    if solutions is not None:
        pointer = f'os.environ["BACKPROP_SOLUTIONS"] = {str(solutions.resolve())!r}\n'
    defaults = Config()
    files = {
        Path("nbgrader_config.py"): CONFIG_TEMPLATE.format(course_id=course_id, stub=CODE_STUB,
                                                          solutions=pointer),
        Path("backprop.toml"): SETTINGS_TEMPLATE.format(
            seed=defaults.seed, seconds=defaults.seconds_per_part, memory=defaults.memory_mb),
    }
    for exercise_id in exercises.ids():
        files[Path("source") / exercise_id / f"{exercise_id}.ipynb"] = dumps(
            source_notebook(exercise_id, root))
    return files


def init(directory: Path, course_id: str = DEFAULT_COURSE, solutions: Path | None = None,
         force: bool = False) -> list[Path]:
    """Create (or update) an nbgrader course directory; returns the files written.

    An existing file with other content is kept unless ``force``: the
    instructor may have edited it.  The source notebooks are regenerated
    whenever they differ from what the checkout gives and ``force`` is set.
    """
    if directory.exists() and not directory.is_dir():
        raise CourseError(f"{directory} is a file; give a folder for the course")
    if solutions is not None and not any(solutions.glob("*.py")):
        raise CourseError(f"{solutions} holds no reference solutions (solutions/<id>.py)")
    files = course_files(course_id, solutions)
    conflicts = [p for p, text in files.items()
                 if (directory / p).is_file() and (directory / p).read_text() != text]
    if conflicts and not force:
        raise CourseError(
            f"{directory} already has {', '.join(str(p) for p in conflicts)} with other "
            "content; rerun with --force to overwrite them")
    written = []
    for relative, text in files.items():
        target = directory / relative
        if target.is_file() and target.read_text() == text:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        written.append(target)
    return written


# --------------------------------------------------------------------------- gradebook

def database_url(where: str) -> str:
    """An SQLAlchemy URL: given as is, or a path to an SQLite file (nbgrader's gradebook.db)."""
    if "://" in where:
        return where
    path = Path(where).expanduser().resolve()
    if path.is_dir():
        path = path / "gradebook.db"
    return f"sqlite:///{path}"


def write_gradebook(results: list[Result], where: str, course_id: str | None = None) -> int:
    """Store every result's part scores as the autograded scores of the gradebook at ``where``.

    The assignment of an exercise is the exercise id, with one notebook of that
    name and one grade cell ``test_<function>`` per part — the layout ``nbgrader
    generate_assignment`` records for the course's notebooks; what is missing is
    created.  Students are created as needed.  Returns the number of grades written.
    """
    try:
        from sqlalchemy.exc import SAWarning
    except ImportError:
        raise CourseError("writing into a gradebook needs nbgrader: pip install "
                          "'backprop-course[nbgrader]'") from None
    with warnings.catch_warnings():  # nbgrader's own SQLAlchemy use warns about itself
        warnings.simplefilter("ignore", SAWarning)
        return _write_gradebook(results, where, course_id)


def _write_gradebook(results: list[Result], where: str, course_id: str | None) -> int:
    from nbgrader.api import Course, Gradebook, MissingEntry

    written = 0
    with Gradebook(database_url(where), course_id or "") as book:
        if not course_id:
            known = [c.id for c in book.db.query(Course).all()]
            course_id = known[0] if len(known) == 1 else DEFAULT_COURSE
        book.check_course(course_id)
        book.course_id = course_id
        for exercise_id in sorted({r.exercise for r in results}):
            _ensure_assignment(book, exercises.load(exercise_id))
        for result in results:
            book.update_or_create_student(result.student)
            stamp = Path(result.path).with_name("timestamp.txt")
            extra = {"timestamp": stamp.read_text().strip()} if stamp.is_file() else {}
            book.update_or_create_submission(result.exercise, result.student, **extra)
            for part in result.parts:
                try:
                    grade = book.find_grade(f"test_{part.name}", result.exercise,
                                            result.exercise, result.student)
                except MissingEntry:
                    raise CourseError(
                        f"the gradebook has no grade test_{part.name} for {result.student}'s "
                        f"{result.exercise}: regenerate the assignment (nbgrader "
                        f"generate_assignment {result.exercise} --force)") from None
                grade.auto_score = part.score
                grade.needs_manual_grade = False
                written += 1
            book.db.commit()
    return written


def _ensure_assignment(book, exercise: Exercise) -> None:
    """The exercise's assignment, notebook and grade cells, as generate_assignment makes them."""
    from nbgrader.api import MissingEntry

    name = exercise.id
    for find, add in ((lambda: book.find_assignment(name), lambda: book.add_assignment(name)),
                      (lambda: book.find_notebook(name, name),
                       lambda: book.add_notebook(name, name))):
        try:
            find()
        except MissingEntry:
            add()
    for part in exercise.parts:
        cell = f"test_{part.name}"
        try:
            graded = book.find_grade_cell(cell, name, name)
        except MissingEntry:
            book.add_grade_cell(cell, name, name, max_score=part.points, cell_type="code")
            continue
        if not math.isclose(graded.max_score, part.points):
            raise CourseError(
                f"the gradebook's {name}/{cell} is worth {graded.max_score:g} points, the "
                f"course's {part.name} {part.points:g}: regenerate the assignment from the "
                f"course's notebook (backprop nbgrader init, then nbgrader "
                f"generate_assignment {name} --force)")


# --------------------------------------------------------------------------- submissions

def fill_notebook(notebook: nbformat.NotebookNode, source: str) -> nbformat.NotebookNode:
    """A copy of ``notebook`` with the code of the ``.py`` file ``source`` in its cells.

    Each solution cell gets the file's function of its name, the first code
    cell the file's header (imports, constants); the file's other functions
    and statements go in new cells at the end.  This is how a ``.py``
    submission — the sample class, say — becomes a notebook submission.
    """
    filled = nbformat.reads(nbformat.writes(notebook), as_version=4)
    _, found = pieces(source)
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
        filled.cells.append(_cell(nbformat.v4.new_code_cell(text), f"extra-{index}"))
    return filled
