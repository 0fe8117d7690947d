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
import textwrap
import threading
import time
from pathlib import Path

import pytest

from autograder import exercises
from autograder.authoring.markers import replace_functions, unmarked
from autograder.config import Config
from autograder.grading.grader import Grader
from autograder.grading.submissions import Submission
from autograder.output import report
from autograder.output.report import part_feedback
from autograder.sandbox import cgroups
from autograder.sandbox.host import LEVELS, Limits, Zygote, best_level

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
    for name in ("autograder.grading.grader", "autograder.exercises",
                 "autograder.grading.reference"):
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


@pytest.mark.skipif(os.environ.get("CI") != "true",
                    reason="CI is not set: only CI promises the strongest level")
def test_ci_runs_the_strongest_level():
    assert best_level() == "namespaces"
    controllers = cgroups.open_controllers()
    assert controllers is not None, "CI runs as root with the pids, memory and cpu controllers"
    controllers.close()


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


# --------------------------------------------------------------------------- a class under attack
# Each attacker is the reference `activations` file with `relu` replaced by an attack,
# graded in one batch beside correct students, while a thread samples how many processes
# the machine has and how much memory is in use.

FIND_SOCKET = '''
import os, signal, socket, stat, struct, time

def _socket():
    for fd in range(3, 1024):
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                return fd
        except OSError:
            pass

def _frame(payload):
    return struct.pack("<Q", len(payload)) + payload

def _message(header):
    return _frame(header)  # a message is its JSON's length, then the JSON
'''
CORRECT_RELU = "    return np.maximum(x, 0.0)\n"
#: attack -> (the body of relu before it returns correctly, a phrase of relu's feedback
#: when the attack must cost relu its points, or None when relu may keep them)
CLASS_ATTACKS = {
    "half-frame-then-sleep": ("os.write(_socket(), struct.pack('<Q', 2**20) + b'hello')\n"
                              "time.sleep(3600)\n", "time limit"),
    "half-frame-then-answer": ("os.write(_socket(), struct.pack('<Q', 2**20) + b'hello')\n",
                               "had not finished it"),
    "deep-nesting": ("os.write(_socket(), _frame(_message(b'[' * 200000 + b']' * 200000)))\n",
                     "nested too deeply"),
    "oversized-length": ("os.write(_socket(), struct.pack('<Q', 2**62))\n", "MiB a reply"),
    "garbage-bytes": ("os.write(_socket(), _frame(b'\\x07garbage\\xff' * 3))\n",
                      "not a plain result"),
    "answers-nothing-asked": ("os.write(_socket(), _frame(_message("
                              "b'{\"ok\": true, \"seq\": 99999, \"value\": 0.0}')))\n",
                              "nothing that was asked"),
    "closes-its-socket": ("os.close(_socket())\n", "ended abruptly"),
    "shuts-down-half-way": ("s = socket.socket(fileno=os.dup(_socket()))\n"
                            "s.sendall(struct.pack('<Q', 100) + b'0123456789')\n"
                            "s.shutdown(socket.SHUT_WR)\n", "middle of a reply"),
    "fork-storm": ("for _ in range(5000):\n"
                   "    try:\n"
                   "        if os.fork() == 0:\n"
                   "            time.sleep(3600)\n"
                   "            os._exit(0)\n"
                   "    except OSError:\n"
                   "        break\n", None),
    "fills-tmp": ("try:\n"
                  "    with open(f'/tmp/flood-{os.getpid()}', 'wb') as f:\n"
                  "        for _ in range(4096):\n"
                  "            f.write(b'x' * 2**20)\n"
                  "except OSError:\n"
                  "    pass\n", None),
    "memory-across-processes": ("for _ in range(8):\n"
                                "    if os.fork() == 0:\n"
                                "        block = np.ones(200 * 2**20 // 8)\n"
                                "        time.sleep(3600)\n"
                                "        os._exit(0)\n"
                                "time.sleep(0.3)\n", None),
    "kills-everything": ("try:\n"
                         "    os.kill(-1, signal.SIGKILL)\n"
                         "except ProcessLookupError:\n"
                         "    pass\n", None),
}
#: attacks a level cannot survive: at the process level, student code runs as the
#: grader's own user, and kill(-1) from it kills the grader
FATAL = {"process": {"kills-everything"}}
CLASS_LIMITS = {"seconds_per_part": 2.0, "memory_mb": 256, "workers": 2}
CORRECT_STUDENTS = 3
EXTRA_PROCESSES = 300
BATCH_SECONDS = 300  # the fixture gives up on a batch that hangs
MEMORY_SLACK_MB = 400  # the warm worker, bubblewrap, the grader's own allocations


class Peaks:
    """Samples, in a thread, the machine's process count and memory in use (MiB)."""

    def __init__(self) -> None:
        self.base = (self.processes(), self.memory_mb())
        self.extra_processes = self.extra_memory_mb = 0
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    @staticmethod
    def processes() -> int:
        return sum(1 for name in os.listdir("/proc") if name.isdigit())

    @staticmethod
    def memory_mb() -> float:
        info = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text()
                    .splitlines())
        return (int(info["MemTotal"].split()[0]) - int(info["MemAvailable"].split()[0])) / 1024

    def _sample(self) -> None:
        while self._running:
            self.extra_processes = max(self.extra_processes, self.processes() - self.base[0])
            self.extra_memory_mb = max(self.extra_memory_mb, self.memory_mb() - self.base[1])
            time.sleep(0.01)

    def stop(self) -> None:
        self._running = False
        self._thread.join()


@pytest.fixture(scope="module")
def class_under_attack(level, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"attacked-{level}")
    reference = unmarked((ROOT / "solutions" / "activations.py").read_text())
    submissions = []
    for index in range(CORRECT_STUDENTS):
        path = folder / f"correct-{index}" / "activations.py"
        path.parent.mkdir()
        path.write_text(reference)
        submissions.append(Submission(f"correct-{index}", "activations", path))
    for name, (body, _) in CLASS_ATTACKS.items():
        if name in FATAL.get(level, ()):
            continue
        code = FIND_SOCKET + "\n\ndef relu(x):\n" + textwrap.indent(body, "    ") + CORRECT_RELU
        path = folder / name / "activations.py"
        path.parent.mkdir()
        path.write_text(replace_functions(reference, code))
        submissions.append(Submission(name, "activations", path))
    config = Config(sandbox=level, **CLASS_LIMITS)
    peaks = Peaks()
    start = time.monotonic()
    grader = Grader(config, ["activations"], hidden=True)
    with Zygote(level) as zygote:
        limited_by = zygote.limited_by
    done: list = []  # graded in a thread, so that a batch that hangs fails the tests
    batch = threading.Thread(target=lambda: done.append(grader.grade_all(submissions)),
                             daemon=True)
    batch.start()
    batch.join(BATCH_SECONDS)
    seconds = time.monotonic() - start
    peaks.stop()
    if not done:
        pytest.fail(f"the batch at the {level} level did not end within {BATCH_SECONDS} s")
    results = {r.student: r for r in done[0]}
    for flood in Path("/tmp").glob("flood-*"):  # at the process level, /tmp is the machine's
        flood.unlink()
    return {"results": results, "seconds": seconds, "peaks": peaks, "limited_by": limited_by}


def test_correct_students_get_full_marks_beside_attackers(class_under_attack):
    for index in range(CORRECT_STUDENTS):
        result = class_under_attack["results"][f"correct-{index}"]
        assert result.score == result.max_score, report.markdown(result)


@pytest.mark.parametrize("attack", sorted(CLASS_ATTACKS))
def test_an_attacker_loses_only_the_poisoned_part(class_under_attack, level, attack):
    if attack in FATAL.get(level, ()):
        pytest.skip(f"the {level} level runs student code as the grader's user: "
                    f"{attack} would stop the grader itself")
    result = class_under_attack["results"][attack]
    phrase = CLASS_ATTACKS[attack][1]
    for part in result.parts:
        if part.name != "relu":
            assert part.score == part.max_score, f"{part.name}: {part_feedback(part)}"
        elif phrase is not None:
            assert part.score == 0, part_feedback(part)
            assert phrase in part_feedback(part), part_feedback(part)


def test_the_batch_finishes_in_bounded_time(class_under_attack):
    # 15 submissions, two workers, 2 s per part: each attack costs at most a part's time
    # and a reload (the fixture fails every test if the batch hangs past BATCH_SECONDS).
    assert class_under_attack["seconds"] < 60


def test_the_machine_keeps_its_processes_and_memory(class_under_attack):
    peaks = class_under_attack["peaks"]
    assert peaks.extra_processes <= EXTRA_PROCESSES
    if class_under_attack["limited_by"].startswith("cgroups"):
        bound = CLASS_LIMITS["memory_mb"] * CLASS_LIMITS["workers"] + MEMORY_SLACK_MB
        assert peaks.extra_memory_mb <= bound
