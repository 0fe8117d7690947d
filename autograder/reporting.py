"""The instructor's commands after grading: ``backprop report`` (the class report, an HTML
page), ``backprop export`` (grades for Canvas or Moodle) and the ``--report`` option of
``backprop grade``.

:func:`add_commands` adds the two commands to the command line's subparsers and
:func:`add_report_option` the option to ``grade``'s parser; :func:`write_grade_report` is
what ``grade`` calls with its results.  The heavy lifting is in
:mod:`autograder.output.class_report` (which needs matplotlib, imported only when a report
is made) and :mod:`autograder.output.lms`.

A command line that cannot work ends with a message that says what to type instead, on
stderr, and exit status 2, as every ``backprop`` command does.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from autograder import exercises
from autograder.config import ConfigError, load_config
from autograder.i18n import LANGUAGES, _, choose, set_language
from autograder.output import lms
from autograder.output.class_results import BadResults, read_records, summarise
from autograder.output.files import atomic_write
from autograder.output.report import as_json

REPORT_SUFFIXES = (".html", ".htm")


class CommandError(Exception):
    """A command line that cannot work; the message says what to type instead."""


def add_commands(subparsers) -> None:
    """``backprop report`` and ``backprop export``, added to the ``backprop`` parser's
    subparsers."""
    report = subparsers.add_parser(
        "report", help=_("write the class report, an HTML page (for instructors)"),
        description=_("Write the class report of a grading run: scores per exercise, who "
                      "submitted what, the mistakes of the class ranked with the diagnosis and "
                      "an example of the feedback, the marks of each function and the pass "
                      "rate of each check, and the submissions to look at. One HTML file that "
                      "works offline."))
    report.add_argument("results", type=Path, metavar="RESULTS.jsonl",
                        help=_("the JSON Lines records of backprop grade --json"))
    report.add_argument("-o", "--out", type=Path, metavar="REPORT.html",
                        default=Path("report.html"),
                        help=_("the page to write (default: %(default)s)"))
    _add_lang(report)
    report.set_defaults(run=run_report)

    export = subparsers.add_parser(
        "export", help=_("write the grades as a CSV file for Canvas or Moodle (for "
                         "instructors)"),
        description=_("Write the grades of a grading run as a file to import into Canvas or "
                      "Moodle, one column per exercise, starting from the gradebook exported "
                      "from it. Students graded but not on the gradebook, and students on it "
                      "without a grade, are listed."))
    export.add_argument("results", type=Path, metavar="RESULTS.jsonl",
                        help=_("the JSON Lines records of backprop grade --json"))
    export.add_argument("--to", required=True, choices=("canvas", "moodle"),
                        help=_("the learning management system"))
    export.add_argument("--roster", required=True, type=Path, metavar="GRADEBOOK.csv",
                        help=_("the gradebook exported from it (Canvas: Grades, Export; Moodle: "
                               "Export, Plain text file)"))
    export.add_argument("-o", "--out", required=True, type=Path, metavar="OUT.csv",
                        help=_("the file to import"))
    export.add_argument("--key", default="login", metavar="login|email|MAPPING.csv",
                        help=_("how students are found on the gradebook: by login (Canvas's "
                               "SIS Login ID, Moodle's Username or ID number), by e-mail "
                               "(Moodle), or by a CSV file student,<column of the gradebook> "
                               "(default: %(default)s)"))
    _add_lang(export)
    export.set_defaults(run=run_export)


def add_report_option(grade: argparse.ArgumentParser) -> None:
    """``backprop grade --report REPORT.html``."""
    grade.add_argument("--report", type=Path, metavar="REPORT.html",
                       help=_("also write the class report, an HTML page (see backprop "
                              "report)"))


def _add_lang(command: argparse.ArgumentParser) -> None:
    command.add_argument("--lang", choices=LANGUAGES,
                         help=_("the language of the messages (default: lang in "
                                "backprop.toml, else the locale's)"))


def _use_language(option: str | None) -> None:
    try:
        configured = load_config().lang
    except ConfigError:
        configured = None
    set_language(choose(option, configured))


def _failed(command: str, problem: Exception) -> int:
    Console(stderr=True).print(f"backprop {command}: {problem}", style="red", markup=False,
                               highlight=False, soft_wrap=True)
    return 2


# ------------------------------------------------------------------ backprop report

def run_report(args, console: Console) -> int:
    _use_language(args.lang)
    try:
        _check_report_paths(args.results, args.out)
        results = _class_report().write_report(args.results, args.out)
    except (CommandError, BadResults) as exc:
        return _failed("report", exc)
    console.print(_("wrote {file} ({size} kB): the class report of {students} students and "
                    "{submissions} submissions").format(
        file=args.out, size=round(args.out.stat().st_size / 1024),
        students=len(results.students), submissions=results.submissions), highlight=False)
    return 0


def _check_report_paths(results: Path, out: Path) -> None:
    if not results.is_file():
        raise CommandError(_("there is no file {file}; give the JSON Lines records that "
                             "backprop grade DIR --json results.jsonl wrote, e.g. backprop "
                             "report results.jsonl -o report.html").format(file=results))
    if results.suffix.lower() == ".csv":
        raise CommandError(_("{file} looks like the grade sheet; the report reads the JSON Lines "
                             "records: backprop grade DIR --json results.jsonl, then backprop "
                             "report results.jsonl -o report.html").format(file=results))
    if out.suffix.lower() not in REPORT_SUFFIXES:
        raise CommandError(_("the report is an HTML page: give -o {file}").format(
            file=out.with_suffix(".html")))
    if out.resolve() == results.resolve():
        raise CommandError(_("-o {file} would overwrite the records; give another name, e.g. "
                             "-o report.html").format(file=out))


def _class_report():
    """:mod:`autograder.output.class_report`, or a clear error when matplotlib is missing."""
    try:
        from autograder.output import class_report
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] == "matplotlib":
            raise CommandError(_("the class report draws its charts with matplotlib, which is "
                                 "not installed: pip install matplotlib")) from None
        raise
    return class_report


def write_grade_report(results: list, out: Path, source: str, console: Console) -> None:
    """``backprop grade --report``: the class report of the results just graded, from
    ``source`` (the class folder); a problem with ``out`` is said, the grades are kept."""
    errors = Console(stderr=True)
    try:
        if out.suffix.lower() not in REPORT_SUFFIXES:
            raise CommandError(_("the report is an HTML page: give --report {file}").format(
                file=out.with_suffix(".html")))
        class_report = _class_report()
    except CommandError as exc:
        errors.print(f"backprop grade: {exc}", style="red", markup=False, highlight=False)
        return
    view = summarise([as_json(r) for r in results], exercises.ids())
    atomic_write(out, class_report.render(view, source=source))
    console.print(_("wrote the class report {file}").format(file=out), highlight=False)


# ------------------------------------------------------------------ backprop export

def run_export(args, console: Console) -> int:
    _use_language(args.lang)
    try:
        _check_export_paths(args)
        key = args.key if args.key in lms.KEYS else Path(args.key)
        rows, mismatches = lms.export(read_records(args.results), args.to, args.roster, key)
    except (CommandError, BadResults, lms.ExportError) as exc:
        return _failed("export", exc)
    lms.write_rows(rows, args.out)
    say_mismatches(mismatches, args.to, Console(stderr=True))
    head = 2 if args.to == "canvas" else 1  # the header, and Canvas's Points Possible
    identity = lms.CANVAS_IDENTITY if args.to == "canvas" else lms.MOODLE_IDENTITY
    console.print(_("wrote {file}: {students} students, {columns} exercise columns; import it "
                    "into {lms}").format(
        file=args.out, students=len(rows) - head,
        columns=sum(h not in identity for h in rows[0]), lms=args.to.capitalize()),
        highlight=False)
    return 0


def _check_export_paths(args) -> None:
    if not args.results.is_file():
        raise CommandError(_("there is no file {file}; give the JSON Lines records that "
                             "backprop grade DIR --json results.jsonl wrote").format(
            file=args.results))
    if not args.roster.is_file():
        raise CommandError(_("there is no file {file}; export the gradebook from {lms} first "
                             "and give it with --roster").format(file=args.roster,
                                                                 lms=args.to.capitalize()))
    if args.key not in lms.KEYS and not Path(args.key).is_file():
        raise CommandError(_("--key takes login, email or a mapping file (a CSV file "
                             "student,<column of the gradebook>); there is no file "
                             "{file}").format(file=args.key))
    if args.out.resolve() in (args.results.resolve(), args.roster.resolve()):
        raise CommandError(_("-o {file} would overwrite an input; give another name, e.g. "
                             "-o {lms}.csv").format(file=args.out, lms=args.to))


def say_mismatches(mismatches: lms.Mismatches, to: str, errors: Console) -> None:
    """Who was not carried over, and the columns the LMS will make."""
    lines = []
    if mismatches.not_on_roster:
        lines.append(_("graded but not on the gradebook (not in the file): {students}").format(
            students=", ".join(mismatches.not_on_roster)))
    if mismatches.not_graded:
        lines.append(_("on the gradebook without a grade (left empty): {students}").format(
            students=", ".join(mismatches.not_graded)))
    if mismatches.new_columns and to == "canvas":
        lines.append(_("no assignment on the gradebook for {exercises}: Canvas makes a new one "
                       "for each column on import").format(
            exercises=", ".join(mismatches.new_columns)))
    elif mismatches.new_columns:
        lines.append(_("no grade item on the gradebook for {exercises}: map each of these "
                       "columns to a new grade item when importing").format(
            exercises=", ".join(mismatches.new_columns)))
    for line in lines:
        errors.print(line, style="yellow", markup=False, highlight=False, soft_wrap=True)
