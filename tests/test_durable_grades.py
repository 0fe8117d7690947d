"""Grades are never lost: a grading run killed at any moment resumes where it stopped."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from rich.console import Console

from autograder.cli import grade_resumably
from autograder.config import Config
from autograder.grading import grader as grader_module
from autograder.grading import journal as journal_module
from autograder.grading.grader import Grader
from autograder.grading.journal import Journal
from autograder.grading.results import CheckResult, PartResult, Result, incident
from autograder.grading.submissions import Submission
from autograder.output.files import atomic_write

ROOT = Path(__file__).resolve().parent.parent
LOOP = "def relu(x):\n    while True:\n        pass\n"


@pytest.fixture
def course(tmp_path):
    """A class of eight submissions, two of which loop for their time limit."""
    folder = tmp_path / "class"
    for student in sorted((ROOT / "samples" / "class").glob("*/losses.py"))[:6]:
        (folder / student.parent.name).mkdir(parents=True)
        shutil.copy(student, folder / student.parent.name / "losses.py")
    for name in ("slow1", "slow2"):
        (folder / name).mkdir()
        (folder / name / "activations.py").write_text(LOOP)
    (tmp_path / "backprop.toml").write_text("[grading]\nseconds_per_part = 1\nworkers = 1\n")
    return tmp_path


def grade(course: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        ["backprop", "grade", "class", "--out", "grades.csv", "--json", "results.jsonl",
         *extra], cwd=course, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)


def rows(course: Path) -> list[tuple[str, str, str]]:
    with (course / "grades.csv").open() as f:
        return [(r["student"], r["exercise"], r["score"]) for r in csv.DictReader(f)]


def test_killed_run_resumes_without_regrading_or_duplicates(course):
    journal = course / ".backprop-journal.jsonl"
    run = grade(course)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait until some, not all, results are recorded
        if journal.exists() and len(journal.read_bytes().splitlines()) >= 3:
            break
        time.sleep(0.05)
    os.killpg(run.pid, signal.SIGKILL)
    run.wait()
    recorded = len(journal.read_bytes().splitlines())
    assert 3 <= recorded < 8
    with journal.open("ab") as f:  # a crash in the middle of a line
        f.write(b'{"student": "half", "exer')

    resumed = grade(course)
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert f"Resuming: {recorded} results" in " ".join(err.split())
    assert "unreadable" in err
    first = rows(course)
    assert len(first) == len(set(first)) == 8

    fresh = grade(course, "--fresh")
    fresh.communicate(timeout=300)
    assert rows(course) == first
    records = [json.loads(line) for line in (course / "results.jsonl").open()]
    assert len(records) == 8


@pytest.mark.parametrize("content", [b"", b"\x00\xff garbage\n", b"{}\n[1, 2]\n", b"\n\n"])
def test_a_damaged_journal_is_not_fatal(tmp_path, content):
    path = tmp_path / "journal.jsonl"
    path.write_bytes(content)
    journal = Journal(path)
    assert journal.load() == {}
    result = Result("ann", "losses", "losses.py",
                    [PartResult("softmax", [CheckResult("t", True, 1, 1)])],
                    incidents=[incident("timed-out", "softmax", "`softmax` took too long")])
    journal.record(result, "key")
    assert Journal(path).load() == {("ann", "losses", "key"): result}


def test_atomic_write_replaces_whole_files(tmp_path):
    path = tmp_path / "grades.csv"
    atomic_write(path, "old\n")
    atomic_write(path, "new\n")
    assert path.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["grades.csv"]


def regraded(grader: Grader, submissions: list[Submission], journal: Journal) -> list[str]:
    """Resume ``journal`` with ``grader``; the students whose submission it graded again."""
    graded, grade_all = [], grader.grade_all

    def spy(todo, on_result):
        graded.extend(s.student for s in todo)
        return grade_all(todo, on_result)

    grader.grade_all = spy
    grade_resumably(grader, submissions, journal, False, Console(stderr=True))
    return graded


@pytest.mark.parametrize("changed", [
    None, "compare.py", "checks.py", "diagnose.py", "gradcheck.py",
    "exercises/backprop.py",  # imported by the stability declaration
    "child.py", "confine.py",  # run by the student's process, not the grader's
])
def test_a_resumed_run_regrades_after_an_engine_change(tmp_path, monkeypatch, changed):
    engine = tmp_path / "autograder"
    shutil.copytree(ROOT / "autograder", engine, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(journal_module, "ENGINE", engine)
    submissions = [Submission("ada", "stability", ROOT / "samples/class/ada/stability.py")]
    journal = Journal(tmp_path / "journal.jsonl")
    grader = Grader(Config(workers=1), ["stability"], hidden=False)
    assert regraded(grader, submissions, journal) == ["ada"]
    if changed:
        with (engine / changed).open("a") as f:
            f.write("\n# a fix\n")
    grader = Grader(Config(workers=1), ["stability"], hidden=False)
    assert regraded(grader, submissions, journal) == (["ada"] if changed else [])


def test_the_engine_is_read_once_per_grader(monkeypatch):
    calls = []
    digest = journal_module.engine_digest
    monkeypatch.setattr(grader_module, "engine_digest", lambda: calls.append(1) or digest())
    grader = Grader(Config(workers=1), ["losses", "activations"], hidden=False)
    settings = [grader.setting(e) for e in ("losses", "activations", "losses")]
    assert len(calls) == 1 and settings[0] == settings[2] != settings[1]
