"""How an exercise is declared: an :class:`Exercise` of :class:`Part` s of :class:`Check` s.

A *part* is one graded function, named after it.  A *check* is one test of
that function, worth some points.  A check's cases are either a fixed list of
inputs (a **public** check, which students run with ``backprop check``) or a
seeded generator of random inputs (a **hidden** check, run only by ``backprop
grade``).

A check's points are split evenly over its *cells*: each kind of input among
its cases (:meth:`Check.kind`: a scalar or a per-channel ``alpha``, a 1-D or a
3-D array, …) times each output it judges (:attr:`Check.outputs`: ``dx``,
``dW`` and ``db`` of a backward pass, named by the part's ``returns``).  A
cell is earned when that output is right on every case of that kind, so a
``dense_backward`` with a transposed ``dW`` keeps the shares of ``dx`` and
``db``, and a ``prelu`` right for a scalar ``alpha`` only keeps that kind's
share.  A check that judges the result as a whole (or a behaviour, such as
not modifying its inputs) has no outputs: one cell per kind.

A check never sees a student object.  It asks for calls across the sandbox
boundary through a :data:`Caller` and judges the plain data that comes back
against its *answer key*: data computed from the reference solution on this
side of the boundary (and, for public cases, stored with the package so that
students can check their work without the reference solutions).

A *mistake* is a typical wrong answer the feedback can name: declared with
:func:`mistake` (a stable kebab-case id beside its message, ``mistake("wrong-axis",
N_("The softmax was taken over the wrong axis: …"))``), or one of the generic ones of
:mod:`autograder.numerics.diagnose`.  The ids of the mistakes a check found are
recorded as data next to its message (see :class:`Named`).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from autograder.i18n import N_, _
from autograder.sandbox import protocol

Inputs = dict[str, Any]
"""The arguments of one call, by parameter name, in the order of the signature."""


class Text(str):
    """A message declared at import time whose values are filled in then, its template
    marked with ``N_``: ``Text(N_("raises {exception} on bad input"), exception="ValueError")``.

    It reads as its English text everywhere (in an answer key too, where a mistake's
    message is a key); :func:`shown` gives it in the current language when it is shown.
    Values that are :class:`Text` themselves are translated with it; the others (names
    of code, numbers) go in as they are.
    """

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, **values: Any) -> Text:
        text = super().__new__(cls, template.format(**values) if values else template)
        text.template, text.values = template, values
        if values:
            _DECLARED.setdefault(str(text), text)
        return text


_DECLARED: dict[str, Text] = {}
"""Every :class:`Text` with values, by its English text: an answer key read back from its
JSON file names a mistake by that text alone."""


def as_text(message: str) -> Text:
    """``message`` as a :class:`Text` (to be translated as a value of another one)."""
    return message if isinstance(message, Text) else Text(message)


def shown(message: str) -> str:
    """A declared ``message`` (an ``N_``-marked string, a :class:`Text` or the English text
    of one) in the current language: called once, where the message is shown."""
    text = message if isinstance(message, Text) else _DECLARED.get(message)
    if text is None or not text.values:
        return _(message)
    return _(text.template).format(**{name: shown(value) if isinstance(value, Text) else value
                                      for name, value in text.values.items()})


_MISTAKES: dict[str, str] = {}
"""The id of every declared mistake, by its English text (an answer key read back from its
JSON file names a mistake by that text alone)."""
MISTAKE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
"""What a mistake id looks like: kebab-case, ``sign-flip``, ``dropped-upstream``."""


def mistake(mistake_id: str, message: str) -> str:
    """Declare ``message`` (marked with ``N_``, or a :class:`Text`) as the diagnosis of the
    mistake ``mistake_id``, a stable kebab-case id recorded as data wherever the message
    is shown; returns ``message`` itself, to be a key of a check's ``mistakes``.

    One text has one id; one id may have several texts (the same mistake in two functions)."""
    if not MISTAKE_ID.match(mistake_id):
        raise ValueError(f"a mistake id is kebab-case (sign-flip): {mistake_id!r}")
    known = _MISTAKES.setdefault(str(message), mistake_id)
    if known != mistake_id:
        raise ValueError(f"{message!r} is declared as the mistake {known!r} already")
    return message


def mistake_id(message: str) -> str | None:
    """The id of the mistake a declared ``message`` names (its English text will do): its
    own, else that of a declared mistake it holds as a value (``"{mistake} (mlp_loss gets
    its gradients from mlp_backward.)"``); ``None`` for a message that names none."""
    if str(message) in _MISTAKES:
        return _MISTAKES[str(message)]
    text = message if isinstance(message, Text) else _DECLARED.get(message)
    inner = text.values.values() if text is not None and text.values else ()
    return next((found for value in inner if isinstance(value, str)
                 and (found := mistake_id(value))), None)


def declared_mistakes() -> dict[str, str]:
    """Every mistake declared so far, ``{English text: id}`` (the declarations of the
    exercises loaded declare theirs)."""
    return dict(_MISTAKES)


class Named(str):
    """A message for a person that names mistakes: the text itself, with the ids of the
    mistakes it names in :attr:`mistakes`, so that they travel beside it as data (from a
    diagnosis into the feedback of a case, into a check's result)."""

    mistakes: tuple[str, ...]

    def __new__(cls, text: str, mistakes: Iterable[str] = ()) -> Named:
        named = super().__new__(cls, text)
        named.mistakes = tuple(dict.fromkeys(m for m in mistakes if m))
        return named


def mistakes_in(*messages: str | None) -> tuple[str, ...]:
    """The ids of the mistakes that ``messages`` name, in order, each once (a plain string
    names none)."""
    return tuple(dict.fromkeys(m for message in messages
                               for m in getattr(message, "mistakes", ())))


def naming(text: str, *sources: str | None) -> str:
    """``text`` (composed from ``sources``) naming the mistakes that ``sources`` name."""
    found = mistakes_in(*sources)
    return Named(text, found) if found else text


@dataclass
class Reply:
    """What a successful call sent back: the plain value and what was seen during the call."""

    value: Any
    warnings: list[str] = field(default_factory=list)
    mutated: list[int] = field(default_factory=list)


class CallFailed(Exception):
    """The student's function raised, returned something unsendable, or is missing.

    The message is written for the student; ``kind`` is the exception's class
    name when the function raised.
    """

    def __init__(self, message: str, kind: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind


class Caller(Protocol):
    """Calls a student function in the sandbox: ``call("sigmoid", [x])``.

    ``keep`` stores the result in the sandbox under a name (later calls can
    pass ``protocol.kept(name, i)`` as an argument); ``pick`` returns
    only item ``pick`` of a tuple result.  Raises :class:`CallFailed`.
    """

    def __call__(self, fn: str, args: list, *, keep: str | None = None,
                 pick: int | None = None) -> Reply: ...


Cases = list[Inputs] | Callable[[np.random.Generator], list[Inputs]]

Verdict = str | dict[str, str] | None
"""What :meth:`Check.judge` found on one case: ``None`` when every output it judges
is right; a message when the whole result is wrong; or ``{output: message}`` for the
outputs that are wrong, the others being right.  A message that names a mistake is a
:class:`Named` string, whose ids end up in the check's result."""


@dataclass(frozen=True)
class Request:
    """One call a check makes through its :class:`Caller`: ``fn(*args)``, with the
    caller's ``keep`` and ``pick`` options."""

    fn: str
    args: list
    keep: str | None = None
    pick: int | None = None

    def message(self) -> dict:
        """The request as the student's process reads it
        (:mod:`autograder.sandbox.child.worker`)."""
        return protocol.call(self.fn, self.args, self.keep, self.pick)


class Check:
    """One test of a part's function, worth ``points``.

    Subclasses define :meth:`answer` (trusted: runs the reference) and
    :meth:`judge` (calls the student through a :class:`Caller`).
    ``cases`` is a list of inputs (a public check) or a function of a seeded
    ``np.random.Generator`` returning a list of inputs (a hidden check).
    ``title`` and the phrases ``kinds`` returns are English, marked with ``N_`` (a
    :class:`Text` when values go in): :attr:`title` and :meth:`kind` translate them.
    """

    description: str = N_("check")
    """The check's title as declared, in English (an ``N_``-marked string or a :class:`Text`);
    :attr:`title` is what a student reads."""
    judges_value = True
    """Whether the check looks at what the function returns (not only at how it behaves:
    in place changes, exceptions)."""

    def __init__(self, points: float, cases: Cases, *, title: str | None = None,
                 kinds: Callable[[Inputs], str] | None = None) -> None:
        self.points = points
        self.cases = cases
        self.public = not callable(cases)
        self.kinds = kinds
        self.fn = ""  # the part's function, set by Part
        self.returns: tuple[str, ...] | None = None  # the names of its tuple result, likewise
        if title:
            self.description = title

    @property
    def title(self) -> str:
        """The check's title in the current language (:attr:`description` translated)."""
        return shown(self.description)

    def titled(self, template: str) -> Text:
        """A title made from this check's: ``template``, marked with ``N_``, with ``{title}``
        standing for it (``N_("{title}, with cache = (x, W, b)")``)."""
        return Text(template, title=as_text(self.description))

    def bind(self, fn: str, returns: tuple[str, ...] | None) -> None:
        """Make this a check of the function ``fn``, whose tuple result has the items
        ``returns`` (``None`` for a result that is not a tuple); called by :class:`Part`."""
        self.fn = self.fn or fn
        self.returns = returns

    @property
    def outputs(self) -> tuple[str, ...]:
        """The items of the result this check judges one by one (see the module
        docstring); ``()`` when it judges the result as a whole."""
        return ()

    def kind(self, inputs: Inputs) -> str:
        """The kind of input a case is, as the feedback names it (``"a scalar alpha"``), in
        the current language; ``""`` when the check does not tell its cases apart."""
        return shown(self.kind_description(inputs))

    def kind_description(self, inputs: Inputs) -> str:
        """The kind of input a case is as declared, in English (see :meth:`kind`)."""
        return self.kinds(inputs) if self.kinds else ""

    def inputs(self, rng: np.random.Generator) -> list[Inputs]:
        """The cases of this check: the fixed ones, or those drawn from ``rng``."""
        return list(self.cases) if self.public else self.cases(rng)

    def requests(self, inputs: Inputs) -> list[Request]:
        """The calls :meth:`judge` makes for one case, in the order it makes them
        (it may stop early), if they can be known before it runs.

        The grader sends the calls of all of a part's checks to the student's
        process in one message, prepared once for the whole class, and hands
        :meth:`judge` their replies as it makes the calls; calls not declared
        here are made one round trip at a time.
        """
        return []

    def answer(self, ref, inputs: Inputs):
        """The answer key for one case, from the reference module ``ref``: plain data."""
        return None

    def judge(self, call: Caller, inputs: Inputs, key) -> Verdict:
        """Run one case: ``None`` when it passes, else what went wrong, for the
        student, as a whole or output by output (see :data:`Verdict`)."""
        raise NotImplementedError


@dataclass
class Part:
    """One graded function: its name, the checks that earn its points and, for a
    function that returns a tuple, the names of its items (``("dx", "dW", "db")``)."""

    name: str
    checks: list[Check]
    returns: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        for check in self.checks:
            check.bind(self.name, self.returns)

    @property
    def points(self) -> float:
        return sum(c.points for c in self.checks)


@dataclass
class Exercise:
    """One exercise file: its id (the file's stem), its title (in English, marked with
    ``N_``), its parts."""

    id: str
    title: str
    parts: list[Part]

    @property
    def points(self) -> float:
        return sum(p.points for p in self.parts)

    @property
    def shown_title(self) -> str:
        """The title in the current language (``title`` is the declared English one)."""
        return _(self.title)

    def part(self, name: str) -> Part:
        return next(p for p in self.parts if p.name == name)


def case_seed(seed: int, exercise: str, part: str, index: int) -> np.random.Generator:
    """The generator of one hidden check: fixed by the course seed and the check's place."""
    return np.random.default_rng([seed, zlib.crc32(f"{exercise}/{part}/{index}".encode())])


def number(rng: np.random.Generator, low: float, high: float, digits: int = 3) -> float:
    """A random float in ``[low, high)``, rounded so that feedback shows it in full."""
    return round(float(rng.uniform(low, high)), digits)
