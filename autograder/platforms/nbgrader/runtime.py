"""What a notebook's test cell calls: grade one function with the engine, print, return points.

The course's nbgrader notebooks (see :mod:`autograder.authoring.notebooks`) end every
graded function with a test cell like::

    from autograder.platforms.nbgrader.runtime import grade_part

    points = grade_part("activations", "sigmoid")                # the public checks
    ### BEGIN HIDDEN TESTS
    points = grade_part("activations", "sigmoid", hidden=True)   # every check
    ### END HIDDEN TESTS
    points

The student's code never runs in this process: :func:`grade_part` hands the
notebook's code cells to the same sandboxed engine as ``backprop grade``
(:meth:`autograder.grading.grader.Grader.grade_cells`), prints the feedback with
``print`` (stdout: nbgrader gives 0 to a test cell that writes to stderr)
and returns the points earned as a float, which nbgrader reads as the cell's
partial credit.  A stub, a crash or a time-out earns 0 with a message; the
value is never above the part's points.

Which code is graded:

* under ``nbgrader autograde`` (and ``validate``) the notebook file itself,
  ``<exercise>.ipynb`` in the kernel's folder, read exactly as ``backprop
  grade`` reads a submission — all its code cells but the test cells.  The
  whole notebook is graded once, every part together, and each test cell
  reports its part, so the scores are ``backprop grade``'s, part by part;
* in an interactive session, the cells the kernel has run so far, in the
  order they ran (IPython's history), except the test cells.

Settings (the seed of the hidden cases, the time limits) come from the file
named by ``BACKPROP_CONFIG`` — the course directory's ``backprop.toml``,
which ``nbgrader_config.py`` names — and never from the student's folder.
Hidden checks need the reference solutions: those of the checkout the package
is installed from, or the folder named by ``BACKPROP_SOLUTIONS``.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
import warnings
from pathlib import Path

from autograder.config import Config, load_config
from autograder.grading.grader import Grader
from autograder.grading.reference import NoReference
from autograder.grading.results import CheckResult, Result
from autograder.grading.submissions import (
    UnreadableSubmission,
    read_cells,
    strip_magics,  # as read_cells does
)
from autograder.i18n import _, choose, set_language
from autograder.output.feedback import SAME_REASON, check_lines, indented, points
from autograder.sandbox.host import Zygote

CONFIG_VARIABLE = "BACKPROP_CONFIG"
SOLUTIONS_VARIABLE = "BACKPROP_SOLUTIONS"
#: Values of nbgrader's ``NBGRADER_EXECUTION`` under which the notebook file is graded.
FILE_MODES = ("autograde", "validate")
#: A cell whose source contains this is a test cell: never part of the student's code.
MARKER = "grade_part("

_lock = threading.Lock()
_zygote: Zygote | None = None
_graders: dict[tuple, Grader] = {}
_results: dict[tuple, Result] = {}


def grade_part(exercise: str, part: str, hidden: bool = False) -> float:
    """Grade function ``part`` of ``exercise`` in this notebook; print why; return its points.

    ``hidden=False`` runs the public checks (those of ``backprop check``) and
    returns what they earn; ``hidden=True`` runs every check, as ``backprop
    grade`` does, reports the hidden ones and returns the part's whole score.
    It needs the reference solutions.
    """
    with _quiet():
        result = _grade(exercise, part, hidden)
        graded = next(p for p in result.parts if p.name == part)
        counted = [c for c in graded.checks if hidden or c.public]
        shown = [c for c in counted if not (hidden and c.public)]
        print(feedback(part, counted, shown, result.notes, hidden))
        most = sum(c.points for c in counted)
        return float(min(max(sum(c.score for c in counted), 0.0), most))


def feedback(part: str, counted: list[CheckResult], shown: list[CheckResult],
             notes: list[str], hidden: bool) -> str:
    """What a test cell prints: the score of the ``counted`` checks, then each ``shown``
    check with why it failed."""
    score, most = sum(c.score for c in counted), sum(c.points for c in counted)
    total = (_("{part}: {score} / {most} points (all checks, public and hidden)") if hidden
             else _("{part}: {score} / {most} points (public checks)"))
    lines = [total.format(part=part, score=points(score), most=points(most))]
    lines += [f"  ! {note}" for note in notes if note]
    for line in check_lines(shown):
        heading = (_("{mark} {title} ({earned})") if line.public
                   else _("{mark} {title} (hidden, {earned})"))
        lines.append(heading.format(mark=line.mark, title=line.title, earned=line.earned))
        if line.repeated:
            lines.append(f"    {_(SAME_REASON)}")
        elif line.reason:
            lines += indented(line.reason)
    if not hidden and counted and score == most:
        lines.append(_("Every public check passes; hidden checks with other inputs run when "
                       "your work is graded."))
    return "\n".join(lines)


def _grade(exercise: str, part: str, hidden: bool) -> Result:
    """The result that answers the test cell of ``part``: the notebook file graded once for
    all its parts, or in a session the cells run so far for ``part`` alone."""
    config = _config()
    cells, path, student, whole = _code(exercise)
    if not whole:  # an interactive session: only the function asked about
        return _cached((exercise, part, hidden, config, tuple(cells)),
                       lambda: _run(config, exercise, hidden, student, path, cells, [part]))
    # The notebook file: graded once for all its parts, with the hidden checks whenever the
    # reference solutions are here, so that the hidden block reuses the public cell's run.
    if not hidden:
        try:
            return _cached((exercise, None, True, config, tuple(cells)),
                           lambda: _run(config, exercise, True, student, path, cells, None))
        except NoReference:
            pass
    return _cached((exercise, None, hidden, config, tuple(cells)),
                   lambda: _run(config, exercise, hidden, student, path, cells, None))


def _cached(key: tuple, compute) -> Result:
    """``compute()``'s result, computed once per ``key`` in this kernel."""
    with _lock:
        if key not in _results:
            _results[key] = compute()
        return _results[key]


def _run(config: Config, exercise: str, hidden: bool, student: str, path: Path,
         cells: list[str], parts: list[str] | None) -> Result:
    """Grade ``cells`` in the warm worker, starting another if it has stopped."""
    grader = _grader(config, exercise, hidden)
    try:
        return grader.grade_cells(_warm(config), student, exercise, path, cells, parts)
    except RuntimeError:  # the warm worker has stopped (a long session): start another
        _stop()
        return grader.grade_cells(_warm(config), student, exercise, path, cells, parts)


def _config() -> Config:
    """The course's settings (``BACKPROP_CONFIG``), else the defaults; workers are moot here."""
    named = os.environ.get(CONFIG_VARIABLE)
    config = (load_config(Path(named)) if named else Config()).override(workers=1)
    set_language(choose(None, config.lang))  # the course's lang, else the kernel's locale
    return config


def _grader(config: Config, exercise: str, hidden: bool) -> Grader:
    """The kernel's grader of ``exercise`` for these settings, made on first use; the
    reference solutions are ``BACKPROP_SOLUTIONS``'s, else the checkout's."""
    named = os.environ.get(SOLUTIONS_VARIABLE)
    key = (config, exercise, hidden, named)
    if key not in _graders:
        try:
            _graders[key] = Grader(config, [exercise], hidden=hidden,
                                   solutions=Path(named) if named else None)
        except NoReference as exc:
            if not hidden:
                raise
            raise NoReference(_("{problem} (in a notebook: set {variable} to the folder of "
                                "the reference solutions)").format(
                problem=exc.args[0], variable=SOLUTIONS_VARIABLE)) from None
    return _graders[key]


def _warm(config: Config) -> Zygote:
    """The kernel's warm sandbox worker, started on first use and stopped at exit."""
    global _zygote
    if _zygote is None:
        _zygote = Zygote(config.sandbox)
    return _zygote


@atexit.register
def _stop() -> None:
    """Stop the warm sandbox worker, if one was started (at exit, or when it has died)."""
    global _zygote
    if _zygote is not None:
        zygote, _zygote = _zygote, None
        with contextlib.suppress(OSError):
            zygote.close()


def _code(exercise: str) -> tuple[list[str], Path, str, bool]:
    """The code to grade: ``(cells, path, student, whole_notebook)``."""
    path = Path(f"{exercise}.ipynb")
    if os.environ.get("NBGRADER_EXECUTION") in FILE_MODES and path.is_file():
        try:
            cells = read_cells(path)
        except UnreadableSubmission:
            cells = []
        # nbgrader runs a submission in autograded/<student>/<assignment>/
        return cells, path, Path.cwd().parent.name or "student", True
    return _history(), path, "you", False


def _history() -> list[str]:
    """The cells this kernel has run, in order, without the test cells (which call us)."""
    try:
        shell = get_ipython()  # type: ignore[name-defined]  # noqa: F821 - IPython's builtin
    except NameError:
        raise RuntimeError(_("grade_part runs in a notebook's test cell (a Jupyter kernel); "
                             "for a .py file use `backprop check FILE`")) from None
    return [strip_magics(source) for source in shell.history_manager.input_hist_raw
            if source.strip() and MARKER not in source]


@contextlib.contextmanager
def _quiet():
    """Nothing reaches stderr while grading: a warning there would zero the test cell."""
    with warnings.catch_warnings(), contextlib.redirect_stderr(sys.stdout):
        warnings.simplefilter("ignore")
        yield

