"""A class's grading run seen as a whole, from its JSON Lines records (``results.jsonl``):
scores per exercise, marks per function, pass rates per check, the class's mistakes ranked,
and the submissions to look at.  Plain data for the class report (and anyone else).

A student counts once per function for a mistake, however many checks named it.  Mistakes
are counted by id (the ``mistakes`` fields of the records), never from the feedback's
sentences; the sentences serve only as examples.
"""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from autograder.i18n import _
from autograder.output.feedback import FAILED
from autograder.output.outliers import Outlier, outliers

EXAMPLE_LINES = 14  # an example of feedback is cut after this many lines


class BadResults(ValueError):
    """The file is not a grading run's JSON Lines records; the message says where and why."""


@dataclass
class CheckStats:
    """One check of a function across the class: how many submissions passed it in full."""

    title: str
    public: bool
    passed: int = 0
    total: int = 0


@dataclass
class MistakeStats:
    """One mistake in one function: the students who made it, and an example of the
    feedback it got (the failed check's block, without the student's name)."""

    id: str
    students: set[str] = field(default_factory=set)
    example: str = ""

    @property
    def count(self) -> int:
        return len(self.students)


@dataclass
class PartStats:
    """One graded function across the class."""

    exercise: str
    name: str
    max_score: float = 0.0
    full: int = 0
    partial: int = 0
    zero: int = 0
    checks: list[CheckStats] = field(default_factory=list)
    mistakes: dict[str, MistakeStats] = field(default_factory=dict)

    @property
    def graded(self) -> int:
        return self.full + self.partial + self.zero

    def ranked(self) -> list[MistakeStats]:
        """The function's mistakes, the most common first (then by id)."""
        return sorted(self.mistakes.values(), key=lambda m: (-m.count, m.id))


@dataclass
class ExerciseStats:
    """One exercise across the class: each submission's score, and its functions."""

    id: str
    max_score: float = 0.0
    scores: dict[str, float] = field(default_factory=dict)
    parts: dict[str, PartStats] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.scores.values()) if self.scores else 0.0


@dataclass
class ClassResults:
    """Everything the class report shows."""

    students: list[str]
    exercises: list[ExerciseStats]
    outliers: list[Outlier]

    @property
    def submissions(self) -> int:
        return sum(len(e.scores) for e in self.exercises)

    def common_mistakes(self) -> list[tuple[str, set[str], list[PartStats]]]:
        """Each mistake of the class across its functions: ``(id, the students who made it
        somewhere, the functions where it was made)``, the most common first."""
        found: dict[str, tuple[set[str], list[PartStats]]] = {}
        for e in self.exercises:
            for part in e.parts.values():
                for m in part.mistakes.values():
                    students, parts = found.setdefault(m.id, (set(), []))
                    students |= m.students
                    parts.append(part)
        return sorted(((i, s, p) for i, (s, p) in found.items()),
                      key=lambda item: (-len(item[1]), item[0]))


def read_records(path: Path) -> list[dict]:
    """The records of a JSON Lines file, the last one winning for a student and exercise
    (raises :class:`BadResults` for a line that is not such a record)."""
    records: dict[tuple[str, str], dict] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise BadResults(_("{path} is not a text file ({problem})").format(
            path=path, problem=exc)) from None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            key = (record["student"], record["exercise"])
            record["parts"] = list(record["parts"])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BadResults(_("{path}, line {line}: not a record of backprop grade --json "
                               "({problem})").format(path=path, line=number,
                                                     problem=exc)) from None
        records[key] = record
    return list(records.values())


def summarise(records: list[dict], order: list[str] | None = None) -> ClassResults:
    """The class's view of ``records``; exercises in ``order`` (course order), then the
    others by id."""
    exercises: dict[str, ExerciseStats] = {}
    for record in sorted(records, key=lambda r: (r["student"], r["exercise"])):
        stats = exercises.setdefault(record["exercise"], ExerciseStats(record["exercise"]))
        stats.max_score = max(stats.max_score, float(record.get("max_score", 0.0)))
        stats.scores[record["student"]] = float(record.get("score", 0.0))
        for part in record["parts"]:
            _add_part(stats, record["student"], part)
    rank = {e: i for i, e in enumerate(order or [])}
    ordered = sorted(exercises.values(), key=lambda e: (rank.get(e.id, len(rank)), e.id))
    found = [o for record in sorted(records, key=lambda r: (r["student"], r["exercise"]))
             for o in outliers(record)]
    return ClassResults(sorted({r["student"] for r in records}), ordered, found)


def _add_part(exercise: ExerciseStats, student: str, part: dict) -> None:
    stats = exercise.parts.setdefault(part["name"], PartStats(exercise.id, part["name"]))
    score, most = float(part.get("score", 0.0)), float(part.get("max_score", 0.0))
    stats.max_score = max(stats.max_score, most)
    if score >= most:
        stats.full += 1
    elif score > 0:
        stats.partial += 1
    else:
        stats.zero += 1
    for index, check in enumerate(part.get("checks", [])):
        if index == len(stats.checks):
            stats.checks.append(CheckStats(check["title"], bool(check["public"])))
        stats.checks[index].total += 1
        stats.checks[index].passed += check["score"] >= check["points"]
    for mistake in part.get("mistakes", []):
        found = stats.mistakes.setdefault(mistake, MistakeStats(mistake))
        found.students.add(student)
        if not found.example:
            found.example = example(part, mistake, student)


def example(part: dict, mistake: str, student: str) -> str:
    """The block of a part's feedback about the first check that named ``mistake``, with
    the student's name taken out; ``""`` when that block gives no reason."""
    titles = [c["title"] for c in part.get("checks", []) if mistake in c.get("mistakes", [])]
    lines = part.get("feedback", "").splitlines()
    for title in titles:  # "✘ title (1/2)", or "✘ title（1/2）" in Chinese
        head = re.compile(rf"{FAILED}\s*{re.escape(title)}\s*[(（]")
        for start, line in enumerate(lines):
            if head.match(line):
                block = [line]
                for more in lines[start + 1:]:
                    if not more.startswith(" "):
                        break
                    block.append(more)
                if len(block) > 1:
                    return anonymised("\n".join(_cut(block)), student)
    return ""


def _cut(block: list[str]) -> list[str]:
    return block if len(block) <= EXAMPLE_LINES else [*block[:EXAMPLE_LINES - 1], "    …"]


def anonymised(text: str, student: str) -> str:
    """``text`` without the student's name (in a path, say)."""
    return re.sub(rf"\b{re.escape(student)}\b", "…", text) if student else text
