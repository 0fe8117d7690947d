"""Grades for a learning management system: a CSV file that Canvas or Moodle imports.

Both start from the gradebook the LMS exports (the *roster*), so that every student is
named as the LMS names them, and both write one column per exercise:

* **Canvas** (Grades → Export, then Import): the identity columns ``Student``, ``ID``,
  ``SIS User ID``, ``SIS Login ID`` (``Integration ID`` when the export has it) and
  ``Section``, the row ``Points Possible`` under the header, and per exercise the column of
  the assignment of that name, in Canvas's form ``<name> (<id>)`` — or, for an exercise
  with no assignment yet, a column named after it, which Canvas imports as a new
  assignment.  The other columns of the export are left out: Canvas changes only what the
  file holds.
* **Moodle** (Grade administration → Export → Plain text file, then Import → CSV file): the
  user columns of its export (``First name``, ``Last name`` or ``Surname``, ``ID number``,
  ``Institution``, ``Department``, ``Email address``, ``Username`` when there), then per
  exercise the column of the grade item of that name (``Assignment: calculus``, with or
  without its ``(Real)``), or a column named after the exercise to map to a new grade item
  when importing.  Moodle asks which column identifies users: the e-mail address (``Email
  address`` → ``useremail``) or the ID number (``ID number`` → ``useridnumber``).

Students are matched by ``key``: ``"login"`` (Canvas's ``SIS Login ID``; Moodle's
``Username``, or ``ID number`` when the export has no user names), ``"email"`` (Moodle's
``Email address``), or a mapping file: a CSV whose header is ``student,<a column of the
roster>`` and whose rows pair a submission folder's name with that column's value.  A
folder's name matches a value equal to it (ignoring case), or an e-mail address whose part
before the ``@`` it is, if only one is.  Nobody is dropped in silence: the students graded
but not on the roster, and those on the roster with no grade, come back as
:class:`Mismatches` (the latter keep their row, with empty cells: no grade changes).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder import exercises as course
from autograder.i18n import _
from autograder.output.feedback import points
from autograder.output.files import atomic_write

CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Integration ID", "Section")
CANVAS_REQUIRED = ("Student", "ID", "SIS Login ID", "Section")
POINTS_POSSIBLE = "Points Possible"
MOODLE_IDENTITY = ("First name", "Last name", "Surname", "ID number", "Institution",
                   "Department", "Email address", "Username")
KEYS = ("login", "email")
TARGETS = ("canvas", "moodle")


class ExportError(ValueError):
    """The roster, the key or the mapping cannot be used; the message says why and what to
    give instead."""


@dataclass
class Mismatches:
    """Who could not be carried over: students graded but not on the roster (by folder
    name), students on the roster without a grade (as the roster names them), and
    exercises with no column on the roster (the LMS makes a new one on import)."""

    not_on_roster: list[str] = field(default_factory=list)
    not_graded: list[str] = field(default_factory=list)
    new_columns: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.not_on_roster or self.not_graded)


@dataclass
class Roster:
    """A gradebook exported from the LMS: its header, the rows that are not students (such
    as Canvas's ``Points Possible``), and one dict per student."""

    header: list[str]
    extra: list[list[str]]
    students: list[dict[str, str]]


def read_roster(path: Path, to: str) -> Roster:
    """The roster at ``path``, checked for the columns ``to`` needs."""
    try:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ExportError(_("cannot read the roster {path}: {problem}").format(
            path=path, problem=exc)) from None
    if not rows:
        raise ExportError(_("the roster {path} is empty: export the gradebook from {lms} "
                            "again").format(path=path, lms=to.capitalize()))
    header = [h.strip() for h in rows[0]]
    needed = CANVAS_REQUIRED if to == "canvas" else ("Email address",)
    missing = [c for c in needed if c not in header]
    if missing:
        raise ExportError(_("{path} is not a gradebook exported from {lms}: it has no column "
                            "{missing} (its columns: {columns})").format(
            path=path, lms=to.capitalize(), missing=", ".join(missing),
            columns=", ".join(header)))
    extra, students = [], []
    for row in rows[1:]:
        cells = dict(zip(header, (c.strip() for c in row)))
        if to == "canvas" and not cells.get("ID"):  # Points Possible, posting policies
            extra.append(row)
        elif any(cells.values()):
            students.append(cells)
    return Roster(header, extra, students)


def read_mapping(path: Path, roster: Roster) -> tuple[str, dict[str, str]]:
    """A mapping file: the roster column it names, and ``{folder name: value}``."""
    try:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ExportError(_("cannot read the mapping file {path}: {problem}").format(
            path=path, problem=exc)) from None
    if not rows or len(rows[0]) < 2 or rows[0][0].strip() != "student" \
            or rows[0][1].strip() not in roster.header:
        raise ExportError(_(
            "the mapping file {path} must start with the header student,<column>, where "
            "<column> is a column of the roster ({columns}); for example student,SIS User ID"
        ).format(path=path, columns=", ".join(roster.header)))
    return rows[0][1].strip(), {r[0].strip(): r[1].strip() for r in rows[1:] if len(r) >= 2}


def key_column(roster: Roster, to: str, key: str) -> str:
    """The roster column that ``"login"`` or ``"email"`` matches for ``to``."""
    if key == "login":
        if to == "canvas":
            return "SIS Login ID"
        return "Username" if "Username" in roster.header else "ID number"
    if to == "canvas":
        raise ExportError(_("a gradebook exported from Canvas has no e-mail column: use --key "
                            "login (its SIS Login ID) or --key MAPPING.csv (a file "
                            "student,<column of the gradebook>)"))
    return "Email address"


def match(roster: Roster, column: str, names: list[str],
          mapping: dict[str, str] | None = None) -> dict[str, int]:
    """``{folder name: index of its roster row}`` for the names found on the roster."""
    values = [s.get(column, "").lower() for s in roster.students]
    found = {}
    for name in names:
        if mapping is not None and name not in mapping:
            continue
        wanted = (mapping or {}).get(name, name).lower()
        rows = [i for i, v in enumerate(values) if v and v == wanted]
        if not rows and mapping is None:
            rows = [i for i, v in enumerate(values) if "@" in v and v.split("@")[0] == wanted]
        if len(rows) == 1:
            found[name] = rows[0]
    return found


def column_name(header: str, to: str) -> str:
    """The assignment's or grade item's own name in a roster's column header."""
    if to == "canvas":
        return re.sub(r"\s*\(\d+\)$", "", header).strip()
    header = re.sub(r"\s*\((Real|Percentage|Letter)\)$", "", header)
    return header.split(":", 1)[1].strip() if ":" in header else header.strip()


def exercise_columns(roster: Roster, exercises: list[str], to: str,
                     mismatches: Mismatches) -> list[str]:
    """The header of each exercise's column: the roster's own for an assignment or grade
    item of that name, else the exercise's id (a new one, noted in ``mismatches``)."""
    identity = CANVAS_IDENTITY if to == "canvas" else MOODLE_IDENTITY
    existing = {column_name(h, to).lower(): h for h in roster.header if h not in identity}
    headers = []
    for exercise in exercises:
        if exercise.lower() in existing:
            headers.append(existing[exercise.lower()])
        else:
            headers.append(exercise)
            mismatches.new_columns.append(exercise)
    return headers


def export(results: list[dict], to: str, roster: Path,
           key: str | Path = "login") -> tuple[list[list[str]], Mismatches]:
    """The rows of the import file for ``to`` (``"canvas"`` or ``"moodle"``) from a run's
    JSON Lines records, and who could not be matched (see the module's docstring)."""
    if to not in TARGETS:
        raise ExportError(_("unknown LMS {lms}: use --to canvas or --to moodle").format(
            lms=repr(to)))
    table = read_roster(roster, to)
    if str(key) in KEYS:
        column, mapping = key_column(table, to, str(key)), None
    else:
        column, mapping = read_mapping(Path(key), table)
    scores: dict[str, dict[str, dict]] = {}
    for record in results:
        scores.setdefault(record["student"], {})[record["exercise"]] = record
    known = course.ids()
    exercises = sorted({r["exercise"] for r in results},
                       key=lambda e: (known.index(e) if e in known else len(known), e))
    mismatches = Mismatches()
    found = match(table, column, sorted(scores), mapping)
    mismatches.not_on_roster = sorted(set(scores) - set(found))
    identity = [h for h in table.header if h in (CANVAS_IDENTITY if to == "canvas"
                                                 else MOODLE_IDENTITY)]
    rows = [identity + exercise_columns(table, exercises, to, mismatches)]
    if to == "canvas":
        rows.append(_points_possible(table, identity, exercises, results))
    by_row = {index: name for name, index in found.items()}
    for index, student in enumerate(table.students):
        graded = scores.get(by_row.get(index, ""), {})
        if not graded:
            mismatches.not_graded.append(_display(student, to))
        rows.append([student.get(h, "") for h in identity]
                    + [points(graded[e]["score"]) if e in graded else "" for e in exercises])
    return rows, mismatches


def _points_possible(roster: Roster, identity: list[str], exercises: list[str],
                     results: list[dict]) -> list[str]:
    most = {r["exercise"]: r["max_score"] for r in results}
    first = next((r[0] for r in roster.extra if r and r[0].strip() == POINTS_POSSIBLE),
                 f"    {POINTS_POSSIBLE}")
    return [first, *[""] * (len(identity) - 1), *(points(most[e]) for e in exercises)]


def _display(student: dict[str, str], to: str) -> str:
    if to == "canvas":
        return f"{student.get('Student', '')} (SIS Login ID {student.get('SIS Login ID', '')})"
    name = " ".join(filter(None, (student.get("First name"), student.get("Last name"),
                                  student.get("Surname"))))
    return f"{name} <{student.get('Email address', '')}>"


def write_rows(rows: list[list[str]], out: Path) -> None:
    """The rows as a CSV file (UTF-8, commas, quotes where needed), written atomically."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    atomic_write(out, buffer.getvalue())
