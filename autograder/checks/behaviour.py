"""Checks of how a function behaves rather than of what it returns: it leaves its inputs
as they were (:class:`Unmodified`), it rejects bad input (:class:`Raises`)."""

from __future__ import annotations

from autograder.checks.base import SingleCall, call_args
from autograder.checks.feedback import inputs_text
from autograder.i18n import N_, _, ngettext
from autograder.numerics.diagnose import diagnosis
from autograder.spec import CallFailed, Text


class Unmodified(SingleCall):
    """The function leaves every argument exactly as it was (no in-place changes)."""

    description = N_("leaves its inputs unmodified")
    judges_value = False

    def judge(self, call, inputs, key):
        reply = call(self.fn, call_args(inputs))
        if reply.mutated:
            names = [list(inputs)[i] for i in reply.mutated]
            return diagnosis("modifies-input", ngettext(
                "{fn} changed its argument {names} in place. Work on a copy (x = x.copy(), or "
                "operations that make new arrays: x * 2 rather than x *= 2).",
                "{fn} changed its arguments {names} in place. Work on a copy (x = x.copy(), or "
                "operations that make new arrays: x * 2 rather than x *= 2).", len(names)
            ).format(fn=self.fn, names=", ".join(f"`{n}`" for n in names)))
        return None


class Raises(SingleCall):
    """Bad input makes the function raise ``exception`` (by its class name)."""

    judges_value = False

    def __init__(self, points, cases, *, exception: str = "ValueError", title=None):
        super().__init__(points, cases, title=title or Text(N_("raises {exception} on bad input"),
                                                            exception=exception))
        self.exception = exception

    def judge(self, call, inputs, key):
        try:
            call(self.fn, call_args(inputs))
        except CallFailed as exc:
            if exc.kind == self.exception:
                return None
            return diagnosis("does-not-raise", _(
                "On {inputs}: expected {exception}, but: {error}").format(
                inputs=inputs_text(inputs), exception=self.exception, error=exc))
        return diagnosis("does-not-raise", _(
            "On {inputs}: expected {exception} to be raised, but it returned.").format(
            inputs=inputs_text(inputs), exception=self.exception))
