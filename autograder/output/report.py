"""Every output of a grading run, from the same :class:`Result` s.

Terminal reports (rich) for students and instructors, a Markdown feedback
file per student and exercise, the CSV grade sheet and the JSON Lines record
whose formats the catalogue fixes.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from autograder.grading.results import PartResult, Result
from autograder.i18n import _
from autograder.output.feedback import SAME_REASON, check_lines, indented, points
from autograder.output.files import atomic_write

CSV_COLUMNS = ("student", "exercise", "score", "max_score")


def part_feedback(part: PartResult) -> str:
    """What a student reads about one function: each failed check and why."""
    failed = [line for line in check_lines(part.checks) if not line.passed]
    if not failed:
        return _("All checks passed.")
    out = []
    for line in failed:
        out.append(_("{mark} {title} ({earned})").format(mark=line.mark, title=line.title,
                                                          earned=line.earned))
        if line.reason:
            out += indented(line.reason)
    return "\n".join(out)


def markdown(result: Result) -> str:
    """The feedback file of one submission."""
    out = [f"# {result.exercise} — {result.student}", "",
           _("**Score: {score} / {max_score}**").format(score=points(result.score),
                                                         max_score=points(result.max_score)),
           ""]
    out += [f"> {note}" for note in result.notes]
    for part in result.parts:
        out += ["", f"## `{part.name}` — {points(part.score)} / {points(part.max_score)}", ""]
        for line in check_lines(part.checks):
            scoped = (_("{mark} {title} (public, {earned})") if line.public
                      else _("{mark} {title} (hidden, {earned})"))
            out.append("- " + scoped.format(mark=line.mark, title=line.title,
                                            earned=line.earned))
            if line.repeated:
                out.append(f"  {_(SAME_REASON)}")
            elif line.reason:
                out += ["", "  ```text", *indented(line.reason, "  "), "  ```", ""]
    return "\n".join(out).rstrip() + "\n"


def as_json(result: Result) -> dict:
    """One JSON Lines record.

    The catalogue's fields, unchanged (``student``, ``exercise``, ``score``, ``max_score``,
    and ``parts``: ``{name, score, max_score, feedback}`` per graded function), and beside
    them fields of ours, added only: per part, ``mistakes`` (the ids of the mistakes its
    feedback names, each once, in order) and ``checks`` (``{title, public, points, score,
    mistakes}`` per check, in the declared order); per record, ``notes``, ``file``,
    ``seconds`` and ``incidents``: ``{kind, part, message}`` for each thing an instructor
    should look at, in the order it happened (``kind`` is ``timed-out``, ``limit``,
    ``crashed``, ``unreadable`` or ``did-not-load``; ``part`` the function concerned, or
    ``null`` for the file as a whole; ``message`` what the student was shown about it).
    Mistake ids and kinds are kebab-case and never translated; titles, feedback, notes and
    messages are in the language of the run.
    """
    return {
        "student": result.student, "exercise": result.exercise,
        "score": result.score, "max_score": result.max_score,
        "parts": [{"name": p.name, "score": p.score, "max_score": p.max_score,
                   "feedback": part_feedback(p), "mistakes": part_mistakes(p),
                   "checks": [{"title": c.title, "public": c.public, "points": c.points,
                               "score": c.score, "mistakes": c.mistakes} for c in p.checks]}
                  for p in result.parts],
        "notes": result.notes, "file": result.path, "seconds": round(result.seconds, 4),
        "incidents": [dict(i) for i in result.incidents],
    }


def part_mistakes(part: PartResult) -> list[str]:
    """The ids of the mistakes named in a part's feedback, each once, in order."""
    return list(dict.fromkeys(m for check in part.checks for m in check.mistakes))


def write_csv(results: list[Result], path: Path) -> None:
    """The grade sheet, written atomically (a crash leaves the old sheet or the new)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for r in results:
        writer.writerow([r.student, r.exercise, points(r.score), points(r.max_score)])
    atomic_write(path, buffer.getvalue())


def write_jsonl(results: list[Result], path: Path) -> None:
    atomic_write(path, "".join(json.dumps(as_json(r)) + "\n" for r in results))


def write_feedback(results: list[Result], folder: Path) -> None:
    """``folder/<student>/<exercise>.md`` for every result."""
    for r in results:
        target = folder / r.student / f"{r.exercise}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, markdown(r))


def print_check(result: Result, console: Console) -> None:
    """The student's report of ``backprop check``."""
    passed = sum(c.score == c.points for p in result.parts for c in p.checks)
    total = sum(len(p.checks) for p in result.parts)
    table = Table(title=_("{file}: {passed} of {total} public checks passed").format(
                      file=Path(result.path).name, passed=passed, total=total),
                  title_justify="left")
    table.add_column(_("function"))
    table.add_column(_("checks"), justify="right")
    table.add_column("")
    for part in result.parts:
        ok = sum(c.score == c.points for c in part.checks)
        first_failed = next((c.title for c in part.checks if c.score < c.points), "")
        status = ("[green]✔ " + escape(_("all passed")) + "[/]" if ok == len(part.checks)
                  else f"[red]✘ {escape(first_failed)}[/]")
        table.add_row(part.name, f"{ok}/{len(part.checks)}", status)
    for note in result.notes:
        console.print(f"[yellow]{escape(note)}[/]")
    console.print(table)
    for part in result.parts:
        if any(c.score < c.points for c in part.checks):
            console.print(f"\n[bold]{part.name}[/]")
            console.print(escape(part_feedback(part)), highlight=False)
    if passed == total:
        console.print("\n" + _("[green]Every public check passes.[/] Hidden checks with "
                               "other inputs are run when your work is graded."))


def grade_rows(results: list[Result]) -> tuple[list[str], list[list[str]]]:
    """The class's grade table: the exercises (columns), then one row per student,
    ``[student, "score/max" per exercise ("—" when not submitted), "total/max"]``."""
    exercises = sorted({r.exercise for r in results})
    by_student: dict[str, dict[str, Result]] = {}
    for r in results:
        by_student.setdefault(r.student, {})[r.exercise] = r
    rows = []
    for student, row in sorted(by_student.items()):
        cells = [f"{points(row[e].score)}/{points(row[e].max_score)}" if e in row else "—"
                 for e in exercises]
        total = sum(r.score for r in row.values())
        most = sum(r.max_score for r in row.values())
        rows.append([student, *cells, f"{points(total)}/{points(most)}"])
    return exercises, rows


def print_summary(results: list[Result], console: Console) -> None:
    """The instructor's table: one row per student, one column per exercise."""
    exercises, rows = grade_rows(results)
    table = Table(title=_("Grades"), title_justify="left")
    table.add_column(_("student"))
    for exercise in exercises:
        table.add_column(exercise, justify="right")
    table.add_column(_("total"), justify="right")
    for row in rows:
        table.add_row(*row)
    console.print(table)


def markdown_grades(results: list[Result]) -> str:
    """The same table in Markdown, for the course's pages (in English whatever the language
    of the messages: ``backprop build`` writes it into the English pages)."""
    exercises, rows = grade_rows(results)
    lines = ["| student | " + " | ".join(exercises) + " | total |",
             "|---|" + "---:|" * (len(exercises) + 1)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
