"""What grading finds, from a check's cells up to a whole submission.

A :class:`Result` holds one :class:`PartResult` per graded function, each
holding one :class:`CheckResult` per check; :class:`Cells` turns the verdicts
of a check's cases into its score and its message (see :mod:`autograder.spec`
for how a check's points are split).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograder.i18n import _, tidy
from autograder.spec import Verdict, mistakes_in, naming


@dataclass
class CheckResult:
    """One check's outcome: its points, what it earned, and why not, if not.

    ``lost`` names the cells (see :mod:`autograder.spec`) that were not earned:
    an output (``"dW"``), a kind of input (``"a per-channel alpha"``) or both
    (``"dalpha, for a per-channel alpha"``); empty when the check was earned in full.
    ``mistakes`` are the ids of the mistakes its message names (``["sign-flip"]``): given,
    or else taken from the message when it is a :class:`autograder.spec.Named` string
    (as :meth:`Cells.message` makes it).
    """

    title: str
    public: bool
    points: float
    score: float
    message: str | None = None
    lost: list[str] = field(default_factory=list)
    mistakes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.mistakes = list(self.mistakes) or list(mistakes_in(self.message))
        self.title = tidy(self.title)
        self.message = self.message and str(tidy(self.message))


class Cells:
    """The cells of one check, the kinds of input of its cases times the outputs it
    judges, and the first message each wrong cell got (see :mod:`autograder.spec`)."""

    def __init__(self, kinds: list[str], outputs: tuple[str, ...]) -> None:
        self.kinds, self.outputs = kinds, outputs or ("",)
        self.wrong: dict[tuple[str, str], str] = {}

    def settled(self, kind: str) -> bool:
        """Whether every output is already wrong for this kind (its cases need no more
        judging)."""
        return all((kind, output) in self.wrong for output in self.outputs)

    def record(self, kind: str, verdict: Verdict) -> None:
        """Take in one case's verdict (a check that names outputs it does not judge is a
        bug of the check, reported as such)."""
        if not verdict:
            return
        wrong = verdict if isinstance(verdict, dict) else dict.fromkeys(self.outputs, verdict)
        unknown = set(wrong) - set(self.outputs)
        if unknown:
            raise ValueError(f"the check judged outputs it does not declare: {sorted(unknown)}")
        for output, message in wrong.items():
            self.wrong.setdefault((kind, output), message)

    def share(self) -> float:
        """The part of the check's points earned: the share of cells not wrong."""
        return 1.0 - len(self.wrong) / (len(self.kinds) * len(self.outputs))

    def lost(self) -> list[str]:
        return [", for ".join(filter(None, (f"`{output}`" if output else "", kind)))
                for kind, output in self.wrong]

    def message(self) -> str | None:
        """What the student reads: which cells are right and which wrong, when some are
        right, then each distinct reason; it names the mistakes its reasons name."""
        if not self.wrong:
            return None
        reasons = list(dict.fromkeys(self.wrong.values()))
        if self.share() == 0.0:
            return naming("\n".join(reasons), *reasons)
        return naming("\n".join([self._summary(), *reasons]), *reasons)

    def _summary(self) -> str:
        if len(self.kinds) == 1:  # which outputs are right: "Right: `dx`; wrong: `dW`."
            return _sentence(*_split([f"`{o}`" for o in self.outputs],
                                     [f"`{o}`" for _k, o in self.wrong]))
        if self.outputs == ("",):  # for which kinds of input: "Right: for …; wrong: for …."
            return _sentence(*_split([_("for {kind}").format(kind=k) for k in self.kinds],
                                     [_("for {kind}").format(kind=k) for k, _o in self.wrong]))
        return "\n".join(_for_kind(kind, *_split(
            [f"`{o}`" for o in self.outputs], [f"`{o}`" for k, o in self.wrong if k == kind]))
            for kind in self.kinds)


def _split(cells: list[str], wrong: list[str]) -> tuple[str, str]:
    """The cells that are right and those that are wrong, each as a list (``""`` if none)."""
    return (", ".join(c for c in cells if c not in wrong),
            ", ".join(c for c in cells if c in wrong))


def _sentence(right: str, wrong: str) -> str:
    """``Right: {right}; wrong: {wrong}.``, without the half that names no cell."""
    if right and wrong:
        return _("Right: {right}; wrong: {wrong}.").format(right=right, wrong=wrong)
    if right:
        return _("Right: {right}.").format(right=right)
    return _("Wrong: {wrong}.").format(wrong=wrong)


def _for_kind(kind: str, right: str, wrong: str) -> str:
    """``For {kind}: right: {right}; wrong: {wrong}.``, without the half that names no cell."""
    if right and wrong:
        return _("For {kind}: right: {right}; wrong: {wrong}.").format(
            kind=kind, right=right, wrong=wrong)
    if right:
        return _("For {kind}: right: {right}.").format(kind=kind, right=right)
    return _("For {kind}: wrong: {wrong}.").format(kind=kind, wrong=wrong)


@dataclass
class PartResult:
    """One graded function's outcome."""

    name: str
    checks: list[CheckResult]

    @property
    def score(self) -> float:
        return sum(c.score for c in self.checks)

    @property
    def max_score(self) -> float:
        return sum(c.points for c in self.checks)


@dataclass
class Result:
    """One submission's outcome, part by part.

    ``incidents`` are what an instructor should look at, recorded by the grader as they
    happen, in order: ``{"kind", "part", "message"}`` each (see :func:`incident`).
    """

    student: str
    exercise: str
    path: str
    parts: list[PartResult]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    student_seconds: float = 0.0
    incidents: list[dict] = field(default_factory=list)

    @property
    def score(self) -> float:
        return sum(p.score for p in self.parts)

    @property
    def max_score(self) -> float:
        return sum(p.max_score for p in self.parts)


#: The kinds of incident, in the order a report lists them: the student's process took
#: longer than allowed, was stopped for a limit (memory, processes, a reply's size), crashed
#: or ended (an abrupt end, exit(), a broken connection, garbage for a reply, no process to
#: fork); the file could not be read (not a notebook, not text, a syntax error), or loading
#: it stopped at an exception.
INCIDENT_KINDS = ("timed-out", "limit", "crashed", "unreadable", "did-not-load")


def incident(kind: str, part: str | None, message: str) -> dict:
    """One incident: its ``kind`` (one of :data:`INCIDENT_KINDS`), the ``part`` (a function's
    name) it happened in, ``None`` for the file as a whole, and the ``message`` shown about
    it (in the language of the run)."""
    if kind not in INCIDENT_KINDS:
        raise ValueError(f"unknown kind of incident {kind!r}")
    return {"kind": kind, "part": part, "message": str(tidy(message))}
