"""``backprop grade --gradebook``: the scores of ``backprop grade`` into nbgrader's gradebook.

:func:`write_gradebook` stores each part's score as the autograded score of its
test cell (``test_<function>``), so that ``nbgrader export`` and formgrader
show them, creating the assignment, notebook, grade cells and students that
``nbgrader generate_assignment`` and ``autograde`` would have.  It needs
nbgrader (``pip install 'backprop-course[nbgrader]'``).
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

from autograder import exercises
from autograder.grading.results import Result
from autograder.i18n import _
from autograder.platforms.nbgrader.course import DEFAULT_COURSE, CourseError
from autograder.spec import Exercise


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
        raise CourseError(_("writing into a gradebook needs nbgrader: pip install "
                            "'backprop-course[nbgrader]'")) from None
    with warnings.catch_warnings():  # nbgrader's own SQLAlchemy use warns about itself
        warnings.simplefilter("ignore", SAWarning)
        return _write_gradebook(results, where, course_id)


def _write_gradebook(results: list[Result], where: str, course_id: str | None) -> int:
    """:func:`write_gradebook`, once nbgrader is known to be there."""
    from nbgrader.api import Course, Gradebook

    with Gradebook(database_url(where), course_id or "") as book:
        if not course_id:
            known = [c.id for c in book.db.query(Course).all()]
            course_id = known[0] if len(known) == 1 else DEFAULT_COURSE
        book.check_course(course_id)
        book.course_id = course_id
        for exercise_id in sorted({r.exercise for r in results}):
            _ensure_assignment(book, exercises.load(exercise_id))
        return sum(_store(book, result) for result in results)


def _store(book, result: Result) -> int:
    """One result's part scores as autograded scores of its submission, which is created
    (with its student) as needed; returns the number of grades written."""
    from nbgrader.api import MissingEntry

    book.update_or_create_student(result.student)
    stamp = Path(result.path).with_name("timestamp.txt")
    extra = {"timestamp": stamp.read_text().strip()} if stamp.is_file() else {}
    book.update_or_create_submission(result.exercise, result.student, **extra)
    for part in result.parts:
        try:
            grade = book.find_grade(f"test_{part.name}", result.exercise, result.exercise,
                                    result.student)
        except MissingEntry:
            raise CourseError(_(
                "the gradebook has no grade test_{function} for {student}'s {exercise}: "
                "regenerate the assignment (nbgrader generate_assignment {exercise} "
                "--force)").format(function=part.name, student=result.student,
                                   exercise=result.exercise)) from None
        grade.auto_score = part.score
        grade.needs_manual_grade = False
    book.db.commit()
    return len(result.parts)


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
            raise CourseError(_(
                "the gradebook's {exercise}/{cell} is worth {stored} points, the course's "
                "{function} {points}: regenerate the assignment from the course's notebook "
                "(backprop nbgrader init, then nbgrader generate_assignment {exercise} "
                "--force)").format(exercise=name, cell=cell, stored=f"{graded.max_score:g}",
                                   function=part.name, points=f"{part.points:g}"))
