"""Grades for Canvas and Moodle: the file round-trips through a CSV reader with the exact
header lines each LMS expects, every student is matched or listed, and a command line that
cannot work says what to type instead."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import pytest
from rich.console import Console

from autograder import reporting
from autograder.output import lms
from autograder.output.feedback import points

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "samples" / "expected" / "results.jsonl"
RECORDS = [json.loads(line) for line in RESULTS.read_text().splitlines()]
STUDENTS = sorted({r["student"] for r in RECORDS})
COURSE = ["calculus", "activations", "losses", "backprop", "optimizers", "stability"]
MAX = {"calculus": "16", "activations": "32", "losses": "20", "backprop": "20",
       "optimizers": "16", "stability": "36"}
ABSENT = "sara"  # graded, but left off the rosters below
NEWCOMER = "zoe"  # on the rosters, never graded


def login(student: str) -> str:
    """Some institutions' logins are e-mail addresses: ben's is."""
    return "ben@uni.edu" if student == "ben" else student


def canvas_roster() -> list[list[str]]:
    rows = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Week 1 quiz (998)",
             "Calculus (1001)", "Current Score", "Final Score"],
            ["    Points Possible", "", "", "", "", "10", "16", "(read only)", "(read only)"]]
    for number, student in enumerate([s for s in STUDENTS if s != ABSENT] + [NEWCOMER]):
        rows.append([f"{student.title()}, Sample", str(100 + number), f"S{100 + number}",
                     login(student), "Section 1", "7", "", "70", "70"])
    return rows + [["Student, Test", "999", "", "test-student", "Section 1", "", "", "", ""]]


def moodle_roster() -> list[list[str]]:
    rows = [["First name", "Surname", "ID number", "Institution", "Department", "Email address",
             "Assignment: calculus (Real)", "Course total (Real)",
             "Last downloaded from this course"]]
    for number, student in enumerate([s for s in STUDENTS if s != ABSENT] + [NEWCOMER]):
        rows.append([student.title(), "Sample", str(2000 + number), "", "",
                     f"{student}@uni.edu", "-", "-", "1767225600"])
    return rows


ROSTERS = {"canvas": canvas_roster, "moodle": moodle_roster}
KEYS = {"canvas": "login", "moodle": "email"}
HEADERS = {  # the exact header lines of the file to import
    "canvas": [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Calculus (1001)",
                *COURSE[1:]],
               ["    Points Possible", "", "", "", "", *(MAX[e] for e in COURSE)]],
    "moodle": [["First name", "Surname", "ID number", "Institution", "Department",
                "Email address", "Assignment: calculus (Real)", *COURSE[1:]]],
}
ROSTER_KEY = {"canvas": (3, login), "moodle": (5, lambda s: f"{s}@uni.edu")}  # column, value
NOT_GRADED = {"canvas": ["Zoe, Sample (SIS Login ID zoe)",
                         "Student, Test (SIS Login ID test-student)"],
              "moodle": ["Zoe Sample <zoe@uni.edu>"]}


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture(params=sorted(ROSTERS))
def exported(request, tmp_path):
    """``(lms, the rows read back from the written file, the mismatches)``."""
    to = request.param
    roster = write_csv(tmp_path / f"{to}-gradebook.csv", ROSTERS[to]())
    rows, mismatches = lms.export(RECORDS, to, roster, KEYS[to])
    out = tmp_path / f"{to}.csv"
    lms.write_rows(rows, out)
    with out.open(newline="", encoding="utf-8") as f:
        return to, list(csv.reader(f)), mismatches


def test_the_file_has_the_exact_header_lines(exported):
    to, rows, _mismatches = exported
    assert rows[:len(HEADERS[to])] == HEADERS[to]


def test_every_graded_student_on_the_roster_gets_the_scores_of_the_records(exported):
    to, rows, _mismatches = exported
    body = rows[len(HEADERS[to]):]
    first = len(HEADERS[to][0]) - len(COURSE)
    column, key = ROSTER_KEY[to]
    by_key = {row[column]: row[first:] for row in body}
    for record in RECORDS:
        if record["student"] == ABSENT:
            continue
        cells = by_key[key(record["student"])]
        assert cells[COURSE.index(record["exercise"])] == points(record["score"])
    assert by_key[key(NEWCOMER)] == [""] * len(COURSE)


def test_a_roster_mismatch_is_reported_both_ways(exported):
    to, _rows, mismatches = exported
    assert mismatches.not_on_roster == [ABSENT]
    assert mismatches.not_graded == NOT_GRADED[to]
    assert mismatches.new_columns == COURSE[1:]


def test_a_mapping_file_pairs_folders_with_any_roster_column(tmp_path):
    roster = write_csv(tmp_path / "gradebook.csv", canvas_roster())
    ids = {row[3]: row[2] for row in canvas_roster()[2:]}
    mapping = write_csv(tmp_path / "mapping.csv",
                        [["student", "SIS User ID"], *([s, ids[login(s)]] for s in STUDENTS
                                                      if s not in (ABSENT, "ada"))])
    rows, mismatches = lms.export(RECORDS, "canvas", roster, mapping)
    assert mismatches.not_on_roster == ["ada", ABSENT]  # ada is not in the mapping
    assert len(rows) == len(canvas_roster())  # every roster row is kept


BAD = {  # what is wrong: (lms, roster rows, key, words of the message)
    "not a Canvas gradebook": ("canvas", [["Name", "Login"], ["Ada", "ada"]], "login",
                               "not a gradebook exported from Canvas"),
    "not a Moodle gradebook": ("moodle", [["Student", "ID"]], "email",
                               "not a gradebook exported from Moodle"),
    "e-mail on Canvas": ("canvas", canvas_roster(), "email", "--key login"),
    "empty roster": ("canvas", [], "login", "is empty"),
    "unknown LMS": ("blackboard", canvas_roster(), "login", "--to canvas or --to moodle"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_roster_or_key_that_cannot_work_says_why(tmp_path, case):
    to, roster_rows, key, words = BAD[case]
    roster = write_csv(tmp_path / "gradebook.csv", roster_rows)
    with pytest.raises(lms.ExportError, match=words.replace("-", r"\-")):
        lms.export(RECORDS, to, roster, key)


def test_a_mapping_file_must_name_a_roster_column(tmp_path):
    roster = write_csv(tmp_path / "gradebook.csv", canvas_roster())
    mapping = write_csv(tmp_path / "mapping.csv", [["student", "Matrikel"], ["ada", "1"]])
    with pytest.raises(lms.ExportError, match="student,<column>"):
        lms.export(RECORDS, "canvas", roster, mapping)


# ---------------------------------------------------------------------------- commands

def run(argv: list[str]) -> int:
    """A ``backprop`` command line with the commands of :mod:`autograder.reporting`."""
    parser = argparse.ArgumentParser(prog="backprop")
    reporting.add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args, Console(width=200))


def test_backprop_export_writes_the_file_and_lists_the_mismatches(tmp_path, capsys):
    roster = write_csv(tmp_path / "gradebook.csv", canvas_roster())
    out = tmp_path / "canvas.csv"
    assert run(["export", str(RESULTS), "--to", "canvas", "--roster", str(roster),
                "-o", str(out)]) == 0
    said = capsys.readouterr()
    assert out.read_text().splitlines()[0] == ",".join(HEADERS["canvas"][0])
    assert f"not in the file): {ABSENT}" in said.err and "Zoe, Sample" in said.err
    assert f"wrote {out}" in said.out


COMMAND_ERRORS = {  # arguments (after the command): words of the message
    "report-missing": (["report", "nothing.jsonl"], "there is no file nothing.jsonl"),
    "report-sheet": (["report", "grades.csv"], "looks like the grade sheet"),
    "report-not-html": (["report", "RESULTS", "-o", "report.pdf"], "give -o report.html"),
    "export-no-roster": (["export", "RESULTS", "--to", "moodle", "--roster", "none.csv",
                          "-o", "out.csv"], "export the gradebook from Moodle first"),
    "export-bad-key": (["export", "RESULTS", "--to", "moodle", "--roster", "RESULTS",
                        "--key", "people.csv", "-o", "out.csv"], "--key takes login, email"),
}


@pytest.mark.parametrize("case", COMMAND_ERRORS)
def test_a_command_line_that_cannot_work_says_what_to_type(case, tmp_path, capsys,
                                                            monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "grades.csv").write_text("student,exercise,score,max_score\n")
    argv, words = COMMAND_ERRORS[case]
    assert run([str(RESULTS) if a == "RESULTS" else a for a in argv]) == 2
    assert words in capsys.readouterr().err
