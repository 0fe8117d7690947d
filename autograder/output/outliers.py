"""Submissions an instructor should look at: those that timed out, crashed, were killed for
a limit, or could not be read or loaded, found in a grading run's JSON Lines records.

The grader records what happened as data, when it happens: the ``incidents`` of a record
(``{kind, part, message}`` each, see :func:`autograder.output.report.as_json`).  Their
kinds are never translated, so records graded in English or in Chinese are sorted alike,
whatever the language of the report; their messages are the words the student was shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograder.grading.results import INCIDENT_KINDS
from autograder.i18n import N_

#: The kinds of what happened to a submission, in the order in which a report lists them.
KINDS: tuple[str, ...] = INCIDENT_KINDS
#: What each kind is called in a report (marked with ``N_``, shown translated).
LABELS = {
    "timed-out": N_("timed out"),
    "limit": N_("killed for a limit"),
    "crashed": N_("crashed"),
    "unreadable": N_("could not be read"),
    "did-not-load": N_("stopped while loading"),
}


@dataclass(frozen=True)
class Outlier:
    """One submission and what happened to it: its kind (one of :data:`KINDS`) and the
    grader's words about it."""

    student: str
    exercise: str
    kind: str
    line: str


def outliers(record: dict) -> list[Outlier]:
    """What happened to one submission (a JSON Lines record), each kind once (its first
    incident), in the order of :data:`KINDS`; a record without incidents (or written before
    they were recorded) has none, and an incident of an unknown kind is left out."""
    seen: dict[str, Outlier] = {}
    for found in record.get("incidents") or []:
        kind = found.get("kind") if isinstance(found, dict) else None
        if kind in KINDS and kind not in seen:
            seen[kind] = Outlier(record["student"], record["exercise"], kind,
                                 str(found.get("message") or "").strip())
    return sorted(seen.values(), key=lambda o: KINDS.index(o.kind))
