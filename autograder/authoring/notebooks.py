"""An exercise as a notebook, made from its reference solution and its declaration.

* :func:`source_notebook` — the instructor's notebook of an exercise (nbgrader's
  ``source/<id>/<id>.ipynb``): an introduction linking to the course pages, a
  first code cell with the module's imports and constants, then for every
  graded function its solution cell (``grade_id`` = the function's name,
  the reference with its ``### BEGIN/END SOLUTION`` markers, which nbgrader's
  ``ClearSolutions`` turns into a stub) and its autograded test cell
  (``grade_id`` = ``test_<function>``, the part's points).  The test cell
  runs the public checks; a ``### BEGIN HIDDEN TESTS`` block runs them all
  (see :mod:`autograder.platforms.nbgrader.runtime`);
* :func:`student_notebook` — the same notebook as students get it: stubs and
  no hidden tests (``exercises/<id>.ipynb``, written by ``backprop build``);
* :func:`dumps` — a notebook's file text;
* :func:`pieces` — a Python file cut into the code of those cells.

Cells carry nbgrader's metadata (``metadata.nbgrader``, schema
:data:`SCHEMA`), but making them needs ``nbformat`` alone.
"""

from __future__ import annotations

import ast
import re
import textwrap
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import exercises
from autograder.authoring import CHECKOUT, in_language
from autograder.authoring.course_text import translate_source
from autograder.authoring.markers import (
    BEGIN,
    HIDDEN_BEGIN,
    HIDDEN_END,
    stub,
    without_hidden_tests,
)
from autograder.i18n import DEFAULT, _
from autograder.spec import Exercise

SCHEMA = 3
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
_SNIPPET = re.compile(r"^# --8<-- ")  # the site's snippet markers: not for notebooks
_TOP_DEF = re.compile(r"^(?:async\s+def|def|class)\s+(\w+)")
_CHAPTER_LINK = re.compile(r"\[([^\]]+)\]\(\.\./(chapters/[^)#]+)\.md\)")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_WIDE_PUNCTUATION = "\u3000-\u303f\uff00-\uffef"
#: A line break that joins its lines without a space: between two Chinese characters, or
#: next to a full-width punctuation mark.
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=[{_CJK}])"
                        f"|(?<=[{_WIDE_PUNCTUATION}])[ \t]*\n[ \t]*"
                        f"|[ \t]*\n[ \t]*(?=[{_WIDE_PUNCTUATION}])")


class NotebookError(ValueError):
    """A reference solution that cannot make its exercise's notebook; the message says why."""


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
    """The lines joined, without the site's snippet markers or blank lines at either end."""
    kept = [line for line in lines if not _SNIPPET.match(line)]
    return "".join(kept).strip("\n")


def checks_cell(exercise: Exercise, part: str) -> str:
    """The test cell of one part: its public checks in view, the hidden ones in the hidden
    block; its comments in the current language."""
    checks = exercise.part(part).checks
    listed = {True: [], False: []}
    for check in checks:
        title = " ".join(check.title.split())
        titled = _("{title} ({points})").format(title=title, points=_points(check.points))
        listed[check.public] += _wrap(titled, "#   - ", "#     ")
    call = f'grade_part("{exercise.id}", "{part}"'
    about = _("Tests of `{part}`, {points}: they run your function in a sandbox,\n"
              "print what is wrong, and end with the points earned.").format(
        part=part, points=_points(exercise.part(part).points))
    none = "#   " + _("(none)")
    lines = [
        *("# " + line for line in about.split("\n")),
        "# " + _("Public checks (the same as `backprop check`):"),
        *(listed[True] or [none]),
        "from autograder.platforms.nbgrader.runtime import grade_part",
        "",
        f"points = {call})",
        HIDDEN_BEGIN,
        "# " + _("Hidden checks, on inputs students do not see:"),
        *(listed[False] or [none]),
        f"points = {call}, hidden=True)",
        HIDDEN_END,
        "points",
    ]
    return "\n".join(lines)


def _wrap(text: str, first: str, rest: str, width: int = 94) -> list[str]:
    """``text`` in lines of at most ``width`` columns (a Chinese character takes two), the
    first starting with ``first``, the others with ``rest``; broken at spaces only."""
    if not any(unicodedata.east_asian_width(c) in "WF" for c in text):
        return textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=rest)
    lines, line = [], first
    for word in text.split():
        started = line not in (first, rest)
        longer = f"{line} {word}" if started else line + word
        if started and _columns(longer) > width:
            lines.append(line)
            longer = rest + word
        line = longer
    return [*lines, line]


def _columns(text: str) -> int:
    """The width of ``text`` in a terminal's columns: two for a wide (Chinese) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _points(value: float) -> str:
    """``"1 point"``, ``"2.5 points"``, in the current language."""
    template = _("{points} point") if value == 1 else _("{points} points")
    return template.format(points=f"{value:g}")


def _unwrapped(paragraph: str) -> str:
    """A paragraph on one line: its lines joined with a space, or with nothing between two
    Chinese characters (where a space would show)."""
    return " ".join(_CJK_BREAK.sub("", paragraph).split())


def intro(exercise: Exercise, docstring: str, root: Path, lang: str = DEFAULT) -> str:
    """The notebook's first cell, in the current language (``lang``, for its links): what it
    is, where the course explains it, how to work."""
    paragraphs = docstring.split("\n\n")
    lead = _unwrapped(paragraphs[0])
    rest = "\n\n".join(_unwrapped(p) for p in paragraphs[1:])
    page, chapter = _pages(exercise.id, root, lang)
    if chapter:
        links = _("The exact contract of every function is on the [exercise page]({page}); "
                  "the ideas are taught in [{chapter}]({link}).").format(
            page=page, chapter=chapter[0], link=chapter[1])
    else:
        links = _("The exact contract of every function is on the [exercise "
                  "page]({page}).").format(page=page)
    return "\n\n".join(filter(None, [
        f"# {exercise.shown_title}",
        f"*{lead}*",
        rest,
        links,
        _("**How to work.** Each graded function has its own cell: replace its `raise "
          "NotImplementedError(...)` with your code and run the cell, then run the test cell "
          "below it. It runs the public checks on your function in a sandbox, prints what is "
          "wrong, and ends with the points they give. Hidden checks on other inputs run when "
          "your work is graded ({points} in all). Keep the functions' names and parameters; "
          "add cells and helper functions as you like. Before you submit, restart the kernel "
          "and run all cells.").format(points=_points(exercise.points)),
        _("The test cells need the course's `backprop` package in the notebook's Python "
          "(`pip install` the course folder). Without Jupyter, `backprop check "
          "{exercise}.ipynb` runs the same public checks.").format(exercise=exercise.id),
    ]))


def _pages(exercise_id: str, root: Path,
           lang: str = DEFAULT) -> tuple[str, tuple[str, str] | None]:
    """Links to the exercise's page and to the chapter its page names, on the course site,
    in the edition of ``lang`` (``zh/…`` on the site, ``<page>.zh.md`` in the checkout).

    With ``site_url`` in ``mkdocs.yml`` the links are absolute; without, they
    are relative to ``exercises/`` in the checkout.
    """
    site = _site_url(root)
    edition = "" if lang == DEFAULT else lang

    def link(page: str) -> str:
        """The address of a page of the site, given as its path without suffix."""
        if site:
            return f"{site}{edition}/{page}/" if edition else f"{site}{page}/"
        return f"../course/{page}.{edition}.md" if edition else f"../course/{page}.md"

    text = root / "course" / "exercises" / (f"{exercise_id}.{edition}.md" if edition
                                            else f"{exercise_id}.md")
    found = _CHAPTER_LINK.search(text.read_text()) if text.is_file() else None
    chapter = (found.group(1), link(found.group(2))) if found else None
    return link(f"exercises/{exercise_id}"), chapter


def _site_url(root: Path) -> str:
    """The course site's address with a final ``/`` (``site_url`` in ``mkdocs.yml``), or ``""``."""
    config = root / "mkdocs.yml"
    found = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", config.read_text(), re.M) \
        if config.is_file() else None
    return (found.group(1).rstrip("/") + "/") if found else ""


def source_notebook(exercise_id: str, root: Path = CHECKOUT,
                    lang: str = DEFAULT) -> nbformat.NotebookNode:
    """The instructor's notebook of an exercise: solutions and hidden tests included; its
    text cells, docstrings, comments and hints in ``lang``."""
    exercise = exercises.load(exercise_id)
    path = root / "solutions" / f"{exercise_id}.py"
    docstring, found = pieces(translate_source(path.read_text(), lang))
    names = {p.name for p in found}
    missing = [p.name for p in exercise.parts if p.name not in names]
    if missing:
        raise NotebookError(_("{file} has no function {functions}, which {exercise}'s "
                              "declaration grades").format(file=path,
                                                           functions=", ".join(missing),
                                                           exercise=exercise_id))
    with in_language(lang):
        notebook = _notebook(exercise, docstring, found, root, lang)
    return notebook


def _notebook(exercise: Exercise, docstring: str, found: list[Piece], root: Path,
              lang: str) -> nbformat.NotebookNode:
    """The notebook of :func:`source_notebook`, its texts in the current language."""
    points = {p.name: p.points for p in exercise.parts}
    v4 = nbformat.v4
    cells = [_cell(v4.new_markdown_cell(intro(exercise, docstring, root, lang)), "intro")]
    for piece in found:
        if piece.name is None:
            if piece.text:
                cells.append(_cell(v4.new_code_cell(piece.text), "setup"))
            continue
        if piece.name in points:
            cells.append(_cell(v4.new_markdown_cell(
                f"## `{piece.name}{piece.signature}` — {_points(points[piece.name])}"),
                f"about-{piece.name}"))
        if piece.name in points or BEGIN in piece.text:
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
    """``cell`` with its id and, for a cell nbgrader grades or clears, its nbgrader metadata."""
    cell.id = cell_id
    if grading is not None:
        cell.metadata["nbgrader"] = {**grading, "grade_id": cell_id, "schema_version": SCHEMA}
    return cell


def student_notebook(exercise_id: str, root: Path = CHECKOUT,
                     lang: str = DEFAULT) -> nbformat.NotebookNode:
    """The notebook as students get it: stubbed solutions, no hidden tests, tests locked."""
    notebook = source_notebook(exercise_id, root, lang)
    for cell in notebook.cells:
        grading = cell.metadata.get("nbgrader", {})
        if grading.get("solution"):
            cell.source = stub(cell.source, f"{exercise_id}.ipynb", lang).rstrip("\n")
        elif grading.get("grade"):
            cell.source = without_hidden_tests(cell.source, f"{exercise_id}.ipynb")
            cell.metadata.update(deletable=False, editable=False)
    return notebook


def dumps(notebook: nbformat.NotebookNode) -> str:
    """The notebook file's text: validated, keys sorted, one trailing newline."""
    nbformat.validate(notebook)
    return nbformat.writes(notebook).rstrip("\n") + "\n"
