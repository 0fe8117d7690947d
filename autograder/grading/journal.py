"""Grades that are never lost: every result is on disk as soon as it is known.

``backprop grade`` appends each result to a journal (one JSON line, flushed
and fsynced) the moment it is known.  Killed at any point and run again, it
takes the results already in the journal and grades only the rest.  A result
is reused only for the same file content graded the same way (same exercise
declaration, public answer keys, reference, seed, limits and sandbox, and the
same engine code): change any of these and that submission is graded again.
A journal left half-written by a crash (a cut last line, garbage, an empty or
unreadable file) costs at most the lines that cannot be read.  A result comes back whole:
scores, messages, the ids of the mistakes each check named, and its incidents (what an
instructor should look at, as the grader recorded it).

The engine's code is part of the fingerprint (see :func:`engine_digest`): the
source of every module of the ``autograder`` package — compare, checks,
diagnose, gradcheck, the exercise declarations and what they import, the
modules the sandboxed child runs.  So after an upgrade or a fix of the engine,
a resumed run grades again instead of reusing results the old code gave; a
change to a module that does not affect grades (the report, the command line)
regrades too, which costs time, never a wrong grade.  It is computed once per
:class:`~autograder.grading.grader.Grader`, when its first fingerprint is asked for.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from autograder.grading.results import CheckResult, PartResult, Result
from autograder.grading.submissions import Submission
from autograder.i18n import _

DEFAULT = Path(".backprop-journal.jsonl")
#: Where the engine's sources are read from (the package itself; a test points it elsewhere).
ENGINE = Path(__file__).resolve().parents[1]


def fingerprint(submission: Submission, setting: str) -> str:
    """What a result depends on: the file's bytes and how it is graded."""
    digest = hashlib.sha256(setting.encode())
    try:
        digest.update(submission.path.read_bytes())
    except OSError:
        digest.update(b"<unreadable>")
    return digest.hexdigest()


def engine_digest() -> str:
    """The grading engine's code, as one sha256: the source of every module of the
    ``autograder`` package (read from :data:`ENGINE`), each named by its path in it.

    All of them, not the ones this process happened to import: the same engine
    gives the same digest whichever command asks."""
    digest = hashlib.sha256()
    for path in sorted(ENGINE.rglob("*.py")):
        source = path.read_bytes()
        digest.update(f"{path.relative_to(ENGINE).as_posix()}\0{len(source)}\0".encode())
        digest.update(source)
    return digest.hexdigest()


def to_dict(result: Result) -> dict:
    return asdict(result)


def from_dict(data: dict) -> Result:
    parts = [PartResult(p["name"], [CheckResult(**c) for c in p["checks"]])
             for p in data["parts"]]
    incidents = [dict(i) for i in data.get("incidents", [])]
    return Result(**{**data, "parts": parts, "incidents": incidents})


class Journal:
    """An append-only file of results, keyed by student, exercise and fingerprint."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []

    def load(self) -> dict[tuple[str, str, str], Result]:
        """Every readable result, the last one winning for a key; problems noted, not raised."""
        try:
            lines = self.path.read_bytes().splitlines()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            self.problems.append(_("could not read the journal {path} ({problem}); grading "
                                   "everything").format(path=self.path, problem=exc.strerror))
            return {}
        found = {}
        for number, line in enumerate(lines, start=1):
            try:
                entry = json.loads(line)
                found[(entry["student"], entry["exercise"], entry["fingerprint"])] = \
                    from_dict(entry["result"])
            except (ValueError, KeyError, TypeError):
                self.problems.append(_("{path}, line {line}: unreadable (a crash while "
                                       "writing?), ignored").format(path=self.path, line=number))
        return found

    def record(self, result: Result, key: str) -> None:
        """Append one result and make sure it is on the disk before returning."""
        line = json.dumps({"student": result.student, "exercise": result.exercise,
                           "fingerprint": key, "result": to_dict(result)})
        with self.path.open("ab") as f:
            if f.tell() and not _ends_with_newline(self.path):
                f.write(b"\n")  # after a cut line, start a fresh one
            f.write(line.encode() + b"\n")
            f.flush()
            os.fsync(f.fileno())


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as f:
        f.seek(-1, os.SEEK_END)
        return f.read(1) == b"\n"


