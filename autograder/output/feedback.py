"""Feedback on checks, the one way every output says it.

The terminal, the JSON Lines records, the Markdown files, the notebooks' test
cells and Gradescope's tests all show a check the same way: a mark, its title,
public or hidden, the points earned of its points, and why it failed — a reason
given once per part, later checks that failed for the same reason saying so.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograder.grading.results import CheckResult
from autograder.i18n import N_

PASSED, FAILED = "✔", "✘"
#: Said of a check that failed for a reason already given (translated where it is shown).
SAME_REASON = N_("(for the same reason as above)")


def points(x: float) -> str:
    """A score as people write it, to two decimals at most: 3, 2.5, 0.67, 0."""
    return f"{round(x, 2):g}"


@dataclass(frozen=True)
class CheckLine:
    """One check as the feedback shows it; ``reason`` is ``None`` when it passed, or
    when an earlier check of the same part failed for the same reason (``repeated``)."""

    passed: bool
    title: str
    public: bool
    earned: str
    reason: str | None
    repeated: bool

    @property
    def mark(self) -> str:
        return PASSED if self.passed else FAILED


def check_lines(checks: list[CheckResult]) -> list[CheckLine]:
    """The lines of a part's checks, in order, each reason given once."""
    said: set[str] = set()
    lines = []
    for check in checks:
        passed = check.score >= check.points
        message = None if passed else check.message
        repeated = message is not None and message in said
        if message:
            said.add(message)
        lines.append(CheckLine(passed, check.title, check.public,
                               f"{points(check.score)}/{points(check.points)}",
                               None if repeated else message, repeated))
    return lines


def indented(text: str, indent: str = "    ") -> list[str]:
    """``text``'s lines, each indented."""
    return [indent + line for line in text.splitlines()]
