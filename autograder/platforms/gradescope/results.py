"""Writing ``results.json`` in Gradescope's format.

See https://gradescope-autograders.readthedocs.io/en/latest/specs/.  A graded
submission gives one test per check (:func:`results_json`): public checks
visible at once, hidden ones after the due date.  A submission that could not
be graded gives a score of 0 and one failing test that says why
(:func:`zero_json`).  The standard output is hidden from students: it lists
the hidden checks' scores, for the instructor.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from autograder.i18n import N_, _
from autograder.output.files import atomic_write

#: What a student reads when the autograder itself failed (translated where it is shown).
NOT_YOUR_FAULT = N_("This is a problem of the autograder, not of your work: tell your "
                    "instructor, who can see what went wrong and grade your submission again.")


def results_json(result, found, level: str, seconds: float) -> dict:
    """Gradescope's results of one graded submission: one test per check.

    ``result`` is the engine's result, ``found`` the
    :class:`~autograder.platforms.gradescope.locate.Found` file graded,
    ``level`` the sandbox it ran in.  Public checks are visible at once,
    hidden ones after the due date; each test's output is the engine's
    feedback on that check.
    """
    tests = [_test(i, j, part, check) for i, part in enumerate(result.parts, 1)
             for j, check in enumerate(part.checks, 1)]
    public = [c for p in result.parts for c in p.checks if c.public]
    passed = sum(c.score >= c.points for c in public)
    lines = [*found.notes, *result.notes,
             _("Public checks: {passed} of {total} passed.").format(passed=passed,
                                                                    total=len(public)),
             _("Hidden checks run your functions on other inputs; their results are shown "
               "after the due date.")]
    return {
        "score": float(result.score),
        "execution_time": math.ceil(seconds),
        "output": "\n".join(lines),
        "output_format": "text",
        "stdout_visibility": "hidden",
        "tests": tests,
        "extra_data": {"exercise": result.exercise, "file": found.shown,
                       "max_score": float(result.max_score), "sandbox": level},
    }


def _test(i: int, j: int, part, check) -> dict:
    """The Gradescope test of the ``j``-th check of the ``i``-th part."""
    passed = check.score >= check.points
    scope = "public" if check.public else "hidden"
    return {
        "name": f"{part.name}: {check.title}",
        "number": f"{i}.{j}",
        "score": float(check.score),
        "max_score": float(check.points),
        "status": "passed" if passed else "failed",
        "output": _outcome(passed, check.public, check.message),
        "output_format": "text",
        "tags": [part.name, scope],
        "visibility": "visible" if check.public else "after_due_date",
        "extra_data": {"function": part.name, "check": check.title, "public": check.public},
    }


def _outcome(passed: bool, public: bool, message: str | None) -> str:
    """A test's output: passed or failed, public or hidden, and why it failed."""
    if passed:
        return _("Passed (public check).") if public else _("Passed (hidden check).")
    reason = message or _("no reason given")
    return (_("Failed (public check):\n{reason}") if public
            else _("Failed (hidden check):\n{reason}")).format(reason=reason)


def zero_json(title: str, explanation: str, seconds: float, max_score: float | None = None,
              extra: dict | None = None) -> dict:
    """A result of 0 with one failing test that says why nothing was graded."""
    test = {"name": title, "score": 0.0, "status": "failed", "output": explanation,
            "output_format": "text", "visibility": "visible", "tags": ["submission"]}
    if max_score is not None:
        test["max_score"] = float(max_score)
    return {"score": 0.0, "execution_time": math.ceil(seconds), "output": explanation,
            "output_format": "text", "stdout_visibility": "hidden", "tests": [test],
            "extra_data": extra or {}}


def write_results(path: Path, results: dict) -> None:
    """Write ``results`` to ``path`` (results.json) atomically, making its folder if need be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, json.dumps(results, indent=1, ensure_ascii=False) + "\n")
