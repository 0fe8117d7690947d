"""Submissions an instructor should look at: those that timed out, crashed, were killed for
a limit, or could not be read or loaded, found in a grading run's JSON Lines records.

The grader says what happened in words (a part's feedback, a record's notes), in the
language of the run.  Those words come from a few known templates (the sandbox's reasons
for losing a process, the grader's notes on a file it could not read or load): each is
turned into a pattern in every language of the package, so records graded in English or
in Chinese are sorted alike, whatever the language of the report.
"""

from __future__ import annotations

import functools
import gettext
import re
from dataclasses import dataclass

from autograder.i18n import DOMAIN, LANGUAGES, LOCALE_DIR, N_

#: What happened to a submission, by kind (the order in which a report lists them), with
#: the templates (msgids of the sandbox and the grader) whose words say so.
KINDS: dict[str, tuple[str, ...]] = {
    "timed-out": (
        "took longer than the time limit of {seconds} s",
        "started a reply of {size} bytes but had not finished it when the time limit of "
        "{seconds} s ran out",
        "did not take its requests within {seconds} s",
        "did not start in time"),
    "limit": (
        "was killed for using more memory than allowed (all its processes and its /tmp "
        "together)",
        "tried to start more processes or threads than allowed",
        "ran out of memory (the memory limit was reached)",
        "announced a reply of {size} bytes, more than the {limit} MiB a reply may have"),
    "crashed": (
        "the process ended abruptly (os._exit, a crash, or killed for exceeding a limit)",
        "closed its connection in the middle of a reply",
        "your code called exit(); a graded file must not end the process",
        "could not be started (no process left to fork?)",
        "answered with something that is not a plain result ({problem})"),
    "unreadable": (
        "{file} is not a valid notebook: {problem}",
        "{file} is not a text file (it is not valid UTF-8); submit the .py or .ipynb file "
        "itself",
        "{file} is a binary file, not Python code",
        "could not read {file}: {problem}",
        "Python could not read your file: {problem}.",
        "Python could not read your file at {where}: {problem}."),
    "did-not-load": (
        "Loading your file stopped: {problem}; the code after that point did not run.",
        "Loading your file stopped at {where}: {problem}; the code after that point did "
        "not run."),
}
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
    """One submission and what happened to it: its kind (a key of :data:`KINDS`) and the
    line of the grader's words that says so."""

    student: str
    exercise: str
    kind: str
    line: str


def _pattern(template: str) -> str:
    """A regular expression for ``template`` filled with any values (spaces may come and go:
    Chinese typography adjusts them around the values, see :func:`autograder.i18n.tidy`)."""
    pieces = re.split(r"\{\w+\}", template)
    return ".+?".join(r"\s*".join(map(re.escape, piece.split(" "))) for piece in pieces)


@functools.cache
def patterns() -> dict[str, re.Pattern]:
    """One pattern per kind, matching its templates in every language of the package."""
    found: dict[str, re.Pattern] = {}
    catalogues = [gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
                  for lang in LANGUAGES]
    for kind, templates in KINDS.items():
        texts = {catalogue.gettext(t) for catalogue in catalogues for t in templates}
        found[kind] = re.compile("|".join(_pattern(t) for t in sorted(texts)))
    return found


def kind_of(text: str) -> tuple[str, str] | None:
    """The first kind whose words are in ``text``, with the line that says so."""
    for line in text.splitlines():
        for kind, pattern in patterns().items():
            if pattern.search(line):
                return kind, line.strip()
    return None


def outliers(record: dict) -> list[Outlier]:
    """What happened to one submission (a JSON Lines record), each kind once: from its
    notes first, then from the feedback of its parts."""
    texts = [*record.get("notes", []), *(p.get("feedback", "") for p in record.get("parts", []))]
    seen: dict[str, Outlier] = {}
    for text in texts:
        found = kind_of(text)
        if found and found[0] not in seen:
            seen[found[0]] = Outlier(record["student"], record["exercise"], *found)
    return sorted(seen.values(), key=lambda o: list(KINDS).index(o.kind))
