"""Checks that run another check with the part's function called another way:
arguments made in the student's process (:class:`Rewired`), or the cache of the student's own
forward pass (:class:`OwnCache`)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from autograder.checks.base import call_args
from autograder.checks.feedback import explain
from autograder.checks.values import Matches
from autograder.i18n import N_, _
from autograder.numerics.compare import compare
from autograder.sandbox import protocol
from autograder.spec import CallFailed, Check, Request, Text, as_text


class _Reference:
    """The reference module, with its function ``name`` replaced by ``fn``."""

    def __init__(self, ref, name: str, fn: Callable) -> None:
        self._ref, self._name, self._fn = ref, name, fn

    def __getattr__(self, attr: str):
        return self._fn if attr == self._name else getattr(self._ref, attr)


def _as_it_is(mistake: Callable) -> Callable:
    """``mistake`` given the reference module itself rather than a :class:`_Reference`
    (under its own name, by which the students' bundle withholds it)."""
    @functools.wraps(mistake)
    def given_the_module(ref, **inputs):
        return mistake(getattr(ref, "_ref", ref), **inputs)
    return given_the_module


class Rewired(Check):
    """Another check (``inner``) run with the part's function called in another way.

    ``sent(args)`` turns a case's inputs (in order) into the arguments the
    student's function gets — they may name objects made in the student's
    process, see :mod:`autograder.sandbox.child.callables`; ``used(ref, args)`` into those
    the reference gets.  With ``item=i`` only item ``i`` of a tuple result is
    sent back and judged — item 0 is the output of an ``(out, cache)`` pair,
    whose cache is the student's own business.  The inner check's answer sees
    the reference's function called the same way; mistakes (of a
    :class:`~autograder.checks.values.Matches`) still get the reference as it is.
    """

    def __init__(self, inner: Check, *, sent: Callable | None = None,
                 used: Callable | None = None, item: int | None = None,
                 title: str | None = None) -> None:
        self.inner = inner
        if isinstance(inner, Matches):
            inner.mistakes = {text: _as_it_is(wrong) for text, wrong in inner.mistakes.items()}
        super().__init__(inner.points, inner.cases, title=title or inner.description)
        self.sent = sent or (lambda args: args)
        self.used = used or (lambda ref, args: args)
        self.item = item

    @property
    def fn(self) -> str:
        return self.inner.fn

    @fn.setter
    def fn(self, name: str) -> None:
        self.inner.fn = name

    def bind(self, fn, returns):
        super().bind(fn, returns)
        self.inner.bind(fn, returns if self.item is None else None)

    @property
    def outputs(self):
        if self.item is None:
            return self.inner.outputs
        return (self.returns[self.item],) if self.returns and self.inner.judges_value else ()

    def kind_description(self, inputs):
        return self.inner.kind_description(inputs)

    @property
    def mistakes(self) -> dict:
        """The inner check's mistake models (for the students' bundle, which withholds them)."""
        return getattr(self.inner, "mistakes", {})

    @property
    def forward(self) -> Callable | None:
        """The inner check's function differentiated, if any (withheld likewise)."""
        return getattr(self.inner, "forward", None)

    def requests(self, inputs):
        return [Request(r.fn, self.sent(list(r.args)), r.keep,
                        r.pick if self.item is None else self.item)
                for r in self.inner.requests(inputs)]

    def answer(self, ref, inputs):
        def reference(*args):
            result = getattr(ref, self.fn)(*self.used(ref, list(args)))
            return result if self.item is None else result[self.item]

        return self.inner.answer(_Reference(ref, self.fn, reference), inputs)

    def judge(self, call, inputs, key):
        pick = {} if self.item is None else {"pick": self.item}

        def rewired(fn, args, **options):
            return call(fn, self.sent(list(args)), **options, **pick)

        return self.inner.judge(rewired, inputs, key)


class OwnCache(Rewired):
    """Another check of a backward function, fed the cache of the student's own forward.

    A case's first input is the upstream gradient; the others are the
    arguments of the student's function ``forward`` (kept as ``producer``).
    It runs first and its result stays in their process; its output must
    match the reference's (a wrong output means a cache that cannot be
    judged); then the backward function gets ``(upstream, that cache)``.
    The reference runs its own pair.  Each case's forward call comes right
    before its backward calls, so one name for the kept result serves all cases.
    """

    def __init__(self, inner: Check, forward: str) -> None:
        kept = f"the cache of {forward}"  # a name in the student's process, not a message
        super().__init__(
            # Translators: {title} is the title of another check ("matches the reference on
            # the public inputs"), here run on the cache of the student's own forward function.
            inner, title=Text(N_("{title}, on the cache of your own {forward}"),
                              title=as_text(inner.description), forward=forward),
            sent=lambda args: [args[0], protocol.kept(kept, 1)],
            used=lambda ref, args: [args[0], getattr(ref, forward)(*args[1:])[1]])
        self.producer, self.kept = forward, kept

    def requests(self, inputs):
        return [Request(self.producer, call_args(inputs)[1:], keep=self.kept, pick=0),
                *super().requests(inputs)]

    def answer(self, ref, inputs):
        out = getattr(ref, self.producer)(*call_args(inputs)[1:])[0]
        return {"forward": out, "inner": super().answer(ref, inputs)}

    def judge(self, call, inputs, key):
        try:
            reply = call(self.producer, call_args(inputs)[1:], keep=self.kept, pick=0)
        except CallFailed as exc:
            return _("`{fn}` is checked on the cache of your own `{forward}`, and calling "
                     "{forward} failed: {error}").format(fn=self.fn, forward=self.producer,
                                                         error=exc)
        found = compare(reply.value, key["forward"])
        if found:
            intro = _("`{fn}` is checked on the cache of your own `{forward}`, whose output is "
                      "wrong here: fix `{forward}` first.").format(fn=self.fn,
                                                                   forward=self.producer)
            return explain(dict(list(inputs.items())[1:]), found, None, intro)
        return super().judge(call, inputs, key["inner"])
