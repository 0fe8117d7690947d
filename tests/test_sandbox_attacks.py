"""Attacks on the sandbox, at every isolation level this machine offers.

Each attack is a function run inside a sandboxed child; it returns 1.0 when
it succeeded and 0.0 when it was stopped.  The table says which level
promises to stop which attack; a promise is asserted, nothing else is.

| attack                                  | namespaces | user | process |
|-----------------------------------------|:----------:|:----:|:-------:|
| import the reference solutions          |  stopped   |  –   |    –    |
| find solution files by walking the disk |  stopped   |  –   |    –    |
| overwrite another student's submission  |  stopped   | stopped |  –   |
| overwrite the grade sheet               |  stopped   | stopped |  –   |
| leave a process behind (new session)    |  stopped   | stopped |  –   |
| open a network connection               |  stopped   |  –   |    –    |
| import the grader's own modules         |  stopped   | stopped | stopped |
| reach the grader but through its socket |  stopped   | stopped | stopped |
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from pathlib import Path

import pytest

from autograder import exercises
from autograder.config import Config
from autograder.grading import Grader
from autograder.sandbox import LEVELS, Limits, Zygote, best_level
from autograder.submissions import Submission

ROOT = Path(__file__).resolve().parent.parent
AVAILABLE = list(LEVELS)[list(LEVELS).index(best_level()):]
ATTACKS = '''
import os, socket, sys, time, ctypes

def import_solutions(root):
    sys.path.insert(0, root)
    try:
        import solutions.activations
        return 1.0
    except Exception:
        return 0.0

def walk_for_solutions(root):
    if os.path.exists(os.path.join(root, "solutions", "activations.py")):
        return 1.0
    for top in ("/", os.path.expanduser("~")):
        for folder, dirs, files in os.walk(top):
            dirs[:] = [d for d in dirs if os.path.join(folder, d) not in ("/proc", "/sys", "/dev")]
            if "activations.py" in files and os.path.basename(folder) == "solutions":
                return 1.0
    return 0.0

def overwrite(path):
    try:
        with open(path, "a") as f:
            f.write("100\\n")
        return 1.0
    except OSError:
        return 0.0

def leave_process(marker):
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            ctypes.CDLL(None).prctl(15, marker.encode(), 0, 0, 0)  # PR_SET_NAME
            time.sleep(60)
        os._exit(0)
    time.sleep(0.2)
    return 1.0

def connect(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return 1.0
    except OSError:
        return 0.0

def reach_the_grader():
    import stat
    sockets = 0  # its own connection to the grader is one; any other is a way out
    for fd in range(3, 4096):
        try:
            sockets += stat.S_ISSOCK(os.fstat(fd).st_mode)
        except OSError:
            pass
    return 1.0 if sockets > 1 else 0.0

def import_grader():
    for name in ("autograder.grading", "autograder.exercises", "autograder.reference"):
        try:
            __import__(name)
            return 1.0
        except Exception:
            pass
    return 0.0
'''
PROMISES = {  # attack -> the levels that stop it
    "import_solutions": {"namespaces"},
    "walk_for_solutions": {"namespaces"},
    "overwrite_submission": {"namespaces", "user"},
    "overwrite_grades": {"namespaces", "user"},
    "leave_process": {"namespaces", "user"},
    "connect": {"namespaces"},
    "import_grader": {"namespaces", "user", "process"},
    "reach_the_grader": {"namespaces", "user", "process"},
}


@pytest.fixture(scope="module", params=AVAILABLE)
def level(request):
    return request.param


@pytest.fixture(scope="module")
def victims(tmp_path_factory):
    """Another student's submission and a grade sheet, as the grader leaves them."""
    folder = tmp_path_factory.mktemp("course")
    (folder / "submissions" / "other").mkdir(parents=True)
    submission = folder / "submissions" / "other" / "activations.py"
    submission.write_text("def relu(x):\n    return x\n")
    grades = folder / "grades.csv"
    grades.write_text("student,exercise,score,max_score\n")
    return {"overwrite_submission": submission, "overwrite_grades": grades}


def run_attack(level: str, name: str, *args) -> float:
    with Zygote(level) as zygote:
        child = zygote.spawn(Limits(seconds_per_part=60))
        child.request({"op": "load", "name": "attacks", "filename": "attacks.py",
                       "cells": [ATTACKS]}, 60)
        reply = child.request({"op": "call", "fn": name, "args": list(args)}, 60)
        child.kill()
    return reply["value"] if reply["ok"] else 0.0  # an attack that crashed did not succeed


def strays(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == marker:
                found.append(int(entry.name))
        except OSError:
            pass
    return found


@pytest.mark.parametrize("attack", sorted(PROMISES))
def test_attack(level, attack, victims):
    before = {k: p.read_text() for k, p in victims.items()}
    if attack in ("import_solutions", "walk_for_solutions"):
        succeeded = run_attack(level, attack, str(ROOT))
    elif attack in victims:
        succeeded = run_attack(level, "overwrite", str(victims[attack]))
        changed = victims[attack].read_text() != before[attack]
        assert bool(succeeded) == changed
        victims[attack].write_text(before[attack])
    elif attack == "leave_process":
        marker = f"stray{os.getpid() % 10000}{level[:3]}"
        run_attack(level, attack, marker)
        time.sleep(0.3)
        left = strays(marker)
        for pid in left:
            os.kill(pid, 9)
        succeeded = float(bool(left))
    elif attack == "connect":
        with socket.socket() as server:
            server.bind(("127.0.0.1", 0))
            server.listen()
            succeeded = run_attack(level, attack, server.getsockname()[1])
    else:
        succeeded = run_attack(level, attack)
    if level in PROMISES[attack]:
        assert succeeded == 0.0, f"{attack} was not stopped at the {level} level"


def test_the_best_level_is_used_and_reported(capsys):
    from autograder.cli import main

    assert main(["grade", str(ROOT / "samples" / "class"), "--exercise", "losses",
                 "--workers", "1"]) == 0
    assert f"Sandbox: {best_level()}" in capsys.readouterr().out


def test_ci_runs_the_strongest_level():
    if os.environ.get("CI") == "true":
        assert best_level() == "namespaces"


def test_every_reference_gets_full_marks(level, tmp_path):
    """What a submission may import works at every level (NumPy's lazily imported
    submodules included: the warm worker imports them before dropping to nobody)."""
    ids = exercises.ids()
    submissions = []
    for exercise_id in ids:
        path = tmp_path / exercise_id / f"{exercise_id}.py"
        path.parent.mkdir()
        shutil.copy(ROOT / "solutions" / f"{exercise_id}.py", path)
        submissions.append(Submission("reference", exercise_id, path))
    grader = Grader(Config(workers=2, sandbox=level), ids, hidden=True)
    lost = {(r.exercise, p.name, c.title): c.message for r in grader.grade_all(submissions)
            for p in r.parts for c in p.checks if c.score < c.points}
    assert not lost
