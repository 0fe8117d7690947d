"""What grading finds, from a check's cells up to a whole submission.

A :class:`Result` holds one :class:`PartResult` per graded function, each
holding one :class:`CheckResult` per check; :class:`Cells` turns the verdicts
of a check's cases into its score and its message (see :mod:`autograder.spec`
for how a check's points are split).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from autograder.spec import Verdict


@dataclass
class CheckResult:
    """One check's outcome: its points, what it earned, and why not, if not.

    ``lost`` names the cells (see :mod:`autograder.spec`) that were not earned:
    an output (``"dW"``), a kind of input (``"a per-channel alpha"``) or both
    (``"dalpha, for a per-channel alpha"``); empty when the check was earned in full.
    """

    title: str
    public: bool
    points: float
    score: float
    message: str | None = None
    lost: list[str] = field(default_factory=list)


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
        right, then each distinct reason."""
        if not self.wrong:
            return None
        reasons = list(dict.fromkeys(self.wrong.values()))
        if self.share() == 0.0:
            return "\n".join(reasons)
        return "\n".join([self._summary(), *reasons])

    def _summary(self) -> str:
        def split(cells: list[str], wrong: set[str], quote: bool) -> str:
            shown = [f"`{c}`" if quote else c for c in cells]
            right = [s for c, s in zip(cells, shown) if c not in wrong]
            bad = [s for c, s in zip(cells, shown) if c in wrong]
            return "; ".join(filter(None, (right and "right: " + ", ".join(right),
                                           bad and "wrong: " + ", ".join(bad))))

        if len(self.kinds) == 1:
            text = split(list(self.outputs), {o for _, o in self.wrong}, True)
            return text[0].upper() + text[1:] + "."
        if self.outputs == ("",):
            wrong = {k for k, _ in self.wrong}
            text = split([f"for {k}" for k in self.kinds], {f"for {k}" for k in wrong}, False)
            return text[0].upper() + text[1:] + "."
        return "\n".join(f"For {kind}: " + split(list(self.outputs),
                                                 {o for k, o in self.wrong if k == kind}, True)
                         + "." for kind in self.kinds)


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
    """One submission's outcome, part by part."""

    student: str
    exercise: str
    path: str
    parts: list[PartResult]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    student_seconds: float = 0.0

    @property
    def score(self) -> float:
        return sum(p.score for p in self.parts)

    @property
    def max_score(self) -> float:
        return sum(p.max_score for p in self.parts)
