"""What a reply from a student's process may look like, checked on the grader's side.

A reply (built by :class:`autograder.sandbox.child.worker.Session`) is a dict: ``ok``, the
``seq`` of the reply (its rank among the process's replies: a reply with
another rank answers nothing that was asked), and fields whose types are
fixed here.  The grader uses a reply only once :func:`checked` has accepted
it; a reply with a field of the wrong type, a field no reply has, or text
longer than :data:`MAX_TEXT` is refused with :class:`~autograder.sandbox.protocol.WireError`.
``value`` is checked apart, by :func:`autograder.sandbox.host.unwrap`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from autograder.sandbox.protocol import WireError

MAX_TEXT = 20_000  # characters in one text field (the child sends at most about 2,000)
MAX_ITEMS = 10_000  # items in one list field (function names, problems, warnings)


def _text(value) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


def _optional_text(value) -> bool:
    return value is None or _text(value)


def _list_of(item: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda value: (isinstance(value, list) and len(value) <= MAX_ITEMS
                          and all(item(v) for v in value))


def _index(value) -> bool:
    return type(value) is int and 0 <= value < 2**31


def _seconds(value) -> bool:
    return type(value) in (int, float) and math.isfinite(value) and value >= 0


def _problem(value) -> bool:
    """A problem met while loading (a syntax error, an exception): an error reply."""
    return (isinstance(value, dict) and value.get("ok") is False
            and all(k in ERROR_FIELDS and ERROR_FIELDS[k](v) for k, v in value.items()))


ERROR_FIELDS: dict[str, Callable[[object], bool]] = {
    "ok": lambda v: v is False, "seq": _index, "error": _text, "message": _text,
    "type": _optional_text, "where": _optional_text, "printed": _text,
}
OK_FIELDS: dict[str, Callable[[object], bool]] = {
    "ok": lambda v: v is True, "seq": _index, "printed": _text,
    # a call's reply
    "value": lambda v: True, "warnings": _list_of(_text), "mutated": _list_of(_index),
    "seconds": _seconds,
    # a load's reply
    "functions": _list_of(_text), "problems": _list_of(_problem),
}


def checked(reply, seq: int) -> dict:
    """``reply`` if it is a well-formed reply with rank ``seq``; raises WireError if not."""
    if not isinstance(reply, dict) or type(reply.get("ok")) is not bool:
        raise WireError("not a reply")
    if reply.get("seq") != seq or type(reply.get("seq")) is not int:
        raise WireError(f"a reply to nothing that was asked: reply {seq} was due, "
                        f"{_short(reply.get('seq'))} came")
    fields = OK_FIELDS if reply["ok"] else ERROR_FIELDS
    for key, value in reply.items():
        if key not in fields:
            raise WireError(f"a reply with an unknown field {_short(key)}")
        if not fields[key](value):
            raise WireError(f"a reply whose {key!r} is malformed")
    return reply


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"
