"""Everything generated from the reference solutions, the one source of truth.

* ``exercises/<id>.py`` — the student file: the reference with every region
  between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` replaced by
  ``raise NotImplementedError`` (:func:`autograder.authoring.markers.stub`);
* ``exercises/<id>.ipynb`` — the same as a notebook: a solution cell per function
  and a test cell running its public checks (see :mod:`autograder.authoring.notebooks`);
* ``autograder/exercises/public/<id>.json`` — the answer keys of the public
  checks, so that students can check their work without the references;
* ``autograder/exercises/public/<id>.md`` — the table of parts, points and
  checks that the exercise's course page includes;
* ``autograder/exercises/public/sample-grades.md`` and a part of ``README.md`` —
  the sample class's grade table (:func:`graded_pages`);
* ``samples/class/<student>/<id>.py`` — the sample class: the reference with
  each student's own versions of some functions (``samples/students/``)
  put in place of the reference's, or, for a file that starts with
  :data:`WHOLE_FILE`, that file alone (a student who wrote it from scratch);
* ``autograder/locale/…`` — the translation catalogues of every message the package
  prints, extracted from the code, and compiled (:mod:`autograder.authoring.catalogue`).

:func:`outputs` computes all of them; ``backprop build`` writes them, and
``backprop build --check`` (and the test suite) fails when one is stale, saying
why (:func:`why_stale`).  Files are compared exactly, except for the numbers of
the answer keys: matrix products and central differences round differently on
another CPU or BLAS kernel, so a key counts as up to date when each stored
array is within :data:`KEY_RTOL` and :data:`KEY_ATOL` of the new one (the
grader's rule, :func:`autograder.numerics.compare.close`, at a tenth of its tolerance);
its structure, names, strings and shapes must still be the same.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from autograder import exercises
from autograder.authoring import CHECKOUT, in_language
from autograder.authoring.catalogue import catalogues
from autograder.authoring.course_text import translate_source
from autograder.authoring.markers import replace_functions, stub, unmarked
from autograder.authoring.notebooks import dumps, student_notebook
from autograder.grading.keys import dump_public_keys, public_keys, public_keys_path
from autograder.grading.reference import load_reference
from autograder.i18n import DEFAULT, LANGUAGES, _, tidy
from autograder.numerics.compare import ATOL, RTOL, close

# A stored answer key may differ from a rebuilt one by a tenth of the strictest grading
# tolerance (compare.RTOL, ATOL; gradient checks allow more): that moves the grader's
# window by a tenth of its width, so only an answer already at its edge could flip. The
# rounding differences seen between BLAS kernels stay below 1% of the grading tolerance.
KEY_RTOL = RTOL / 10
KEY_ATOL = ATOL / 10


def checks_table(exercise, lang: str = DEFAULT) -> str:
    """The Markdown table of an exercise's parts, points and checks, for its course page in
    ``lang``: each check with its points, the outputs that share them and the kinds of input."""
    with in_language(lang):
        rows = ["| " + " | ".join((_("function"), _("points"), _("checks"))) + " |",
                "|---|---:|---|"]
        for part in exercise.parts:
            checks = "<br>".join(_("{title} ({split})").format(
                title=c.title, split=_("; ").join(_split(c))) for c in part.checks)
            rows.append(f"| `{part.name}` | {part.points:g} | {checks} |")
        rows.append(f"| **{_('total')}** | **{exercise.points:g}** | |")
        return tidy("\n".join(rows)) + "\n"


def _split(check) -> list[str]:
    """``["1, hidden", "shared by `dx`, `dW`", "for a scalar alpha and …"]``: a check's
    points and how they are split (the kinds of a hidden check from one draw of its cases,
    which have the same kinds whatever the seed)."""
    points = f"{check.points:g}"
    said = [points if check.public else _("{points}, hidden").format(points=points)]
    outputs = _(", ").join(f"`{o}`" for o in check.outputs)
    if len(check.outputs) > 1:
        said.append(_("shared by {outputs}").format(outputs=outputs))
    elif check.outputs:
        said.append(_("for {output}").format(output=outputs))
    kinds = list(dict.fromkeys(check.kind(case) for case in
                               check.inputs(np.random.default_rng(0))))
    if len(kinds) > 1:
        said.append(_("split over {kinds}").format(
            kinds=_(", ").join(k.replace("|", "\\|") for k in kinds)))
    return said


WHOLE_FILE = "# sample: whole file\n"
"""The first line of a sample student's file that is the whole submission, not functions
to put in place of the reference's."""


def outputs(root: Path = CHECKOUT) -> dict[Path, str | bytes]:
    """Every generated file under ``root`` (a course checkout) with its content."""
    files: dict[Path, str | bytes] = {root / "exercises" / name: text
                                      for name, text in student_files(root).items()}
    solutions = root / "solutions"
    for exercise_id in exercises.ids():
        reference = load_reference(exercise_id, solutions)
        keys = public_keys(exercises.load(exercise_id), reference)
        files[public_keys_path(exercise_id)] = dump_public_keys(keys)
        for lang in LANGUAGES:   # public/<id>.md, and public/<id>.zh.md for the zh page
            suffix = ".md" if lang == DEFAULT else f".{lang}.md"
            files[public_keys_path(exercise_id).with_suffix(suffix)] = checks_table(
                exercises.load(exercise_id), lang)
    for own in sorted((root / "samples" / "students").glob("*/*.py")):
        text = own.read_text()
        files[root / "samples" / "class" / own.parent.name / own.name] = (
            text.removeprefix(WHOLE_FILE) if text.startswith(WHOLE_FILE)
            else replace_functions(unmarked((solutions / own.name).read_text()), text))
    files.update(catalogues(root / "autograder" / "locale"))
    return files


def student_files(root: Path = CHECKOUT, lang: str = DEFAULT) -> dict[str, str]:
    """The students' exercise files by name, their docstrings, comments and hints in
    ``lang``: ``<id>.py``, the reference with its solution regions stubbed, and
    ``<id>.ipynb``, the exercise as a notebook (stubs, public test cells; see
    :mod:`autograder.authoring.notebooks`). In English they are ``exercises/``."""
    files = {}
    for path in sorted((root / "solutions").glob("*.py")):
        if not path.name.startswith("_"):
            files[path.name] = stub(translate_source(path.read_text(), lang), str(path), lang)
    for exercise_id in exercises.ids():
        files[f"{exercise_id}.ipynb"] = dumps(student_notebook(exercise_id, root, lang))
    return files


def up_to_date(path: Path, text: str | bytes) -> bool:
    """Whether ``path`` holds ``text``; for answer keys, the same numbers to within
    :data:`KEY_RTOL` and :data:`KEY_ATOL` (see :func:`difference`)."""
    return difference(path, text) is None


def difference(path: Path, text: str | bytes) -> str | None:
    """Why ``path`` does not hold ``text``, or ``None`` when it does.

    Every file must hold exactly ``text`` (bytes for a binary file), except the answer
    keys (``.json``), whose numbers may differ within the tolerance (:func:`key_difference`).
    """
    if not path.is_file():
        return _("missing")
    if isinstance(text, bytes):
        return None if path.read_bytes() == text else _("its bytes differ")
    current = path.read_text()
    if current == text:
        return None
    if path.suffix != ".json":
        return _first_different_line(current, text)
    try:
        stored = json.loads(current)
    except ValueError as error:
        return _("not valid JSON ({error})").format(error=error)
    return key_difference(stored, json.loads(text))


def _first_different_line(current: str, text: str) -> str:
    """Where two texts first differ: a line's number, or how their lengths or endings do."""
    old, new = current.splitlines(), text.splitlines()
    for number, (a, b) in enumerate(zip(old, new), start=1):
        if a != b:
            return _("line {number} differs").format(number=number)
    if len(old) != len(new):
        return _("{count} lines instead of {expected}").format(count=len(old),
                                                               expected=len(new))
    return _("line endings differ")


def key_difference(stored, built, where: str = "") -> str | None:
    """The first difference between two answer keys as JSON data, or ``None``.

    Arrays (``{"array": [flat values], "shape": [...]}``) and plain floats agree
    when :func:`autograder.numerics.compare.close` accepts the built values against the
    stored ones at :data:`KEY_RTOL`, :data:`KEY_ATOL` (an infinity matches the same
    infinity; NaN matches NaN or an infinity: past an overflow, whether a matrix
    product gives ±inf or inf − inf = NaN depends on the order of its additions,
    which is the BLAS kernel's); everything else must be equal.
    """
    at = where or _("the key file")
    if _is_array(stored) and _is_array(built):
        if stored["shape"] != built["shape"] or len(stored["array"]) != len(built["array"]):
            return _("{where}: shape {shape} instead of {expected}").format(
                where=at, shape=built["shape"], expected=stored["shape"])
        return _numbers_difference(stored["array"], built["array"], where, stored["shape"])
    if type(stored) is float and type(built) is float:
        return _numbers_difference([stored], [built], where, None)
    if type(stored) is not type(built):
        return _("{where}: {type} {value} instead of {expected_type} {expected}").format(
            where=at, type=type(built).__name__, value=f"{built!r:.60}",
            expected_type=type(stored).__name__, expected=f"{stored!r:.60}")
    if isinstance(stored, dict):
        if stored.keys() != built.keys():
            return _("{where}: keys {new} are new, {gone} gone").format(
                where=at, new=sorted(built.keys() - stored.keys()),
                gone=sorted(stored.keys() - built.keys()))
        wrapper = list(stored) in (["dict"], ["tuple"])  # to_json's, left out of the path
        pairs = [(stored[k], built[k], where if wrapper else f"{where}[{_short(k)!r}]"
                  if where else k) for k in stored]
    elif isinstance(stored, list):
        if len(stored) != len(built):
            return _("{where}: {count} items instead of {expected}").format(
                where=at, count=len(built), expected=len(stored))
        pairs = [(a, b, f"{where}[{i}]") for i, (a, b) in enumerate(zip(stored, built))]
    elif stored != built:
        return _("{where}: {value} instead of {expected}").format(
            where=at, value=f"{built!r:.60}", expected=f"{stored!r:.60}")
    else:
        return None
    return next(filter(None, (key_difference(*pair) for pair in pairs)), None)


def _short(name: str) -> str:
    """A key's name cut to 40 characters, for a message."""
    return name if len(name) <= 40 else name[:39] + "…"


def _is_array(value) -> bool:
    """Whether a value of an answer key as JSON is an array (``to_json``'s form)."""
    return isinstance(value, dict) and value.keys() == {"array", "shape"}


def _numbers_difference(stored: list, built: list, where: str,
                        shape: list | None) -> str | None:
    """Where the built numbers (one stored array, or a float when ``shape`` is ``None``)
    leave the tolerance around the stored ones, and by how much at the worst place."""
    expected, got = np.array(stored, dtype=np.float64), np.array(built, dtype=np.float64)
    overflowed = (np.isnan(got) & ~np.isfinite(expected)) | (np.isnan(expected) & np.isinf(got))
    ok = close(got, expected, KEY_RTOL, KEY_ATOL) | overflowed
    if ok.all():
        return None
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = np.abs(got - expected)
        relative = np.nan_to_num(gap / np.abs(expected), nan=np.inf)
    worst = int(np.argmax(np.where(ok, -1.0, relative)))
    index = "" if shape is None else f"[{', '.join(map(str, np.unravel_index(worst, shape)))}]"
    text = _("{where}: {value} instead of {expected}").format(
        where=(where or _("a number")) + index, value=repr(float(got[worst])),
        expected=repr(float(expected[worst])))
    if not np.isfinite(gap[worst]):
        return text
    return _("{difference} (off by {gap}, relative {relative}; tolerance rtol {rtol}, "
             "atol {atol})").format(difference=text, gap=f"{gap[worst]:.2g}",
                                    relative=f"{relative[worst]:.2g}", rtol=f"{KEY_RTOL:g}",
                                    atol=f"{KEY_ATOL:g}")


GRADES_PAGE = Path("autograder/exercises/public/sample-grades.md")
README_START = "<!-- the sample class's grades, written by `backprop build` -->"
README_END = "<!-- end of the sample class's grades -->"


def graded_pages(root: Path = CHECKOUT) -> dict[Path, str]:
    """The sample class's grade table, from grading the files on disk, for the pages that
    show it: the instructors' page includes :data:`GRADES_PAGE`, the README holds a copy
    between :data:`README_START` and :data:`README_END`."""
    from autograder.config import Config
    from autograder.grading.grader import Grader
    from autograder.grading.submissions import find_submissions
    from autograder.output.report import markdown_grades

    submissions, _notes = find_submissions(root / "samples" / "class", set(exercises.ids()))
    grader = Grader(Config(workers=2), sorted({s.exercise for s in submissions}), hidden=True,
                    solutions=root / "solutions")
    table = markdown_grades(grader.grade_all(submissions))
    readme = (root / "README.md").read_text()
    start, end = readme.index(README_START) + len(README_START), readme.index(README_END)
    return {root / GRADES_PAGE: table,
            root / "README.md": f"{readme[:start]}\n\n{table}\n{readme[end:]}"}


def why_stale(root: Path = CHECKOUT) -> dict[Path, str]:
    """Each generated file that is missing or differs from :func:`outputs` (or, for the
    grade tables, from :func:`graded_pages`), with why."""
    found = {p: difference(p, text)
             for p, text in {**outputs(root), **graded_pages(root)}.items()}
    return {p: why for p, why in found.items() if why is not None}


def stale(root: Path = CHECKOUT) -> list[Path]:
    """Generated files that are missing or differ from what :func:`outputs` gives."""
    return list(why_stale(root))


def write(root: Path = CHECKOUT) -> list[Path]:
    """Write every stale generated file, the grade tables last (they grade the sample
    class and its answer keys as just written); returns the files written."""
    written = []
    for make in (outputs, graded_pages):
        for path, text in make(root).items():
            if not up_to_date(path, text):
                path.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(text, bytes):
                    path.write_bytes(text)
                else:
                    path.write_text(text)
                written.append(path)
    return written
