"""What a student's process asks the grader to say, written in the reader's language.

The student's process writes no sentence: a failure (:func:`autograder.sandbox.protocol.failed`)
names its message by a code, ``"returned-none"``, with parameters, texts such as an
exception's class name and its own message, and a place (a file, a cell, a line).  The
grader writes the sentence here, from :data:`MESSAGES`, in the language chosen
(:mod:`autograder.i18n`): that process stays small (it cannot import the translations),
and what it sends stays data.

Every field of a reply is hostile, whoever wrote it: a parameter is only ever put into a
template as a value (never used as a template, never looked up unchecked), a parameter a
template names but the reply lacks is left empty, and an unknown code gets a message of
its own (:data:`UNKNOWN`), never an error.
"""

from __future__ import annotations

from autograder.i18n import N_, _
from autograder.sandbox import protocol

#: The English text of each message code a student's process sends, marked for translation;
#: ``{name}`` is the parameter ``name`` of the reply.
MESSAGES: dict[str, str] = {
    # the request could not be carried out
    "unknown-request": N_("unknown request {op}"),
    "no-function": N_("no function named {fn}"),
    "argument": N_("an argument could not be built: no earlier result or function {detail}"),
    "unsendable": "{detail}",  # the wire format's own words, for a reply it refused
    # the student's code raised
    "exit": N_("your code called exit(); a graded file must not end the process"),
    "memory": N_("ran out of memory (the memory limit was reached)"),
    "recursion": N_("infinite or too deep recursion"),
    "not-implemented": N_("not implemented yet (it raises NotImplementedError)"),
    # Translators: {type} is the exception's class name and {detail} its own message, as
    # Python writes them.
    "module-not-found": N_("{type}: {detail} (a graded file runs on its own: it may import "
                           "NumPy and the standard library, not your other files; copy what "
                           "you need into it)"),
    # Translators: an exception's class name and its own message, as Python writes them.
    "exception": N_("{type}: {detail}"),
    # the result cannot be sent back
    "nested-too-deeply": N_("the result is nested too deeply"),
    "returned-none": N_("returned None — is a `return` statement missing?"),
    "array-dtype": N_("returned an array of dtype {dtype}; expected numbers"),
    "dict-keys": N_("returned a dict whose keys are not all strings"),
    "object-type": N_("returned an object of type {type}; expected a NumPy array or a number"),
    # Translators: {count} is a number, 1 or more; {fn} a function's name.
    "tuple-too-short": N_("expected {fn} to return a tuple of at least {count} items"),
    # the file could not be read as Python (the syntax error's class name and message)
    "syntax": N_("{type}: {detail}"),
    # Translators: {text} is the line of code Python could not read.
    "syntax-quoted": N_("{type}: {detail} — `{text}`"),
    # the student's process could not be confined
    "group-join": N_("could not join its control group: {detail}"),
}
#: An exception raised by a function the grader called (the parameter ``called``).
# Translators: {problem} is one of the messages above (what went wrong), {fn} a function.
WHEN_CALLED = N_("{problem} when {fn} was called")
#: The message of a code not in :data:`MESSAGES` (or of a reply without one).
UNKNOWN = N_("failed")
#: What a child that could not start said, when it is not a well-formed failure.
UNCONFINED = N_("the student's process could not be confined")


class _Values(dict):
    """A reply's parameters as a template sees them: a missing one is empty."""

    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, values: dict[str, str]) -> str:
    """``template`` translated, with ``values`` put in (in English if the translation's
    placeholders do not fit)."""
    try:
        return _(template).format_map(_Values(values))
    except (ValueError, IndexError, AttributeError, TypeError):
        return template.format_map(_Values(values))


def problem(reply: dict, unknown: str = UNKNOWN) -> str:
    """What went wrong, as a sentence (without the place): the text of the reply's code
    with its parameters, and the function called if the code raised while one was."""
    code, params = reply.get("message"), reply.get("params")
    values = {k: v for k, v in params.items() if isinstance(k, str) and isinstance(v, str)} \
        if isinstance(params, dict) else {}
    template = MESSAGES.get(code) if isinstance(code, str) else None
    if template is None:
        return _(unknown)
    text = _fill(template, values)
    if "called" in values:
        text = _fill(WHEN_CALLED, {"problem": text, "fn": values["called"]})
    return text.strip()


def place(reply: dict) -> str | None:
    """Where in the student's file it went wrong (``losses.ipynb, cell 3, line 2``),
    or ``None`` when the reply does not say."""
    where, cell, line = reply.get("where"), reply.get("cell"), reply.get("line")
    if not isinstance(where, str) or not where:
        return None
    cell = cell if type(cell) is int else None
    line = line if type(line) is int else None
    if cell is not None and line is not None:
        return _("{file}, cell {cell}, line {line}").format(file=where, cell=cell, line=line)
    if line is not None:
        return _("{file}, line {line}").format(file=where, line=line)
    if cell is not None:
        return _("{file}, cell {cell}").format(file=where, cell=cell)
    return where


def failure(reply: dict) -> str:
    """What went wrong, as a sentence, with the place in parentheses if the reply names one."""
    text, where = problem(reply), place(reply)
    if where is None:
        return text
    # Translators: {problem} is what went wrong, {where} a place in the student's file.
    return _("{problem} ({where})").format(problem=text, where=where)


def hello(data: bytes) -> str:
    """What a child that could not start said (its hello, :func:`protocol.failed` encoded)."""
    try:
        reply = protocol.decode(data)
    except protocol.WireError:
        return _(UNCONFINED)
    if not protocol.is_problem(reply):
        return _(UNCONFINED)
    return problem(reply, UNCONFINED)
