"""The protocol between the grader and a student's process: every message, in one place.

*Encoding.* A message is plain data only: a JSON document followed by the raw
bytes of the arrays it refers to (what a ``.npy`` file holds after its
header).  Nothing is ever pickled, so decoding a message from a hostile
process can produce only ``None``, booleans, numbers, strings, lists, dicts
with string keys, and NumPy arrays of the little-endian dtypes in
:data:`DTYPES`.  Layout: ``len(header)`` as 8 bytes, the header JSON (utf-8),
then the arrays' bytes back to back.  Inside the JSON an array is
``{"__nd__": [dtype, shape, offset]}``, its bytes starting at ``offset``
after the header.  The grader sends its requests in frames of one or more
messages (:func:`join`), so that all of a submission's requests go at once.
On the socket, every frame is its length (8 bytes, little-endian) followed by
that many bytes (:func:`frame`); the grader reads the student's side with
:class:`autograder.sandbox.channel.Child`, which never trusts a length it is told.

*Requests* (grader → student's process): :func:`load` a submission's code,
:func:`call` one of its functions, or several :func:`calls` in a row.  An
argument may refer to an earlier result kept in the student's process
(:func:`kept`) or to a trusted function built there
(:func:`function`, see :mod:`autograder.sandbox.child.callables`).

*Replies* (student's process → grader): :func:`loaded`, :func:`answered` or
:func:`failed`, each with the ``seq`` of the reply (its rank among the
process's replies: a reply with another rank answers nothing that was asked).
The student's process writes no sentence for a reader: a failure names its
message by a code, with parameters, and the grader writes the sentence in
the reader's language (:mod:`autograder.sandbox.messages`).
The grader uses a reply only once :func:`checked` has accepted it: a field of
the wrong type, a field no reply has, or text longer than :data:`MAX_TEXT` is
refused with :class:`WireError`.  ``value`` is checked apart, by
:func:`autograder.sandbox.channel.unwrap`.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Callable

import numpy as np

ARRAY_TAG = "__nd__"
_LEN = struct.Struct("<Q")
#: the dtypes an array may have on the wire: numbers and booleans, nothing else.
DTYPES = {np.dtype(t).str: np.dtype(t) for t in
          ("<f8", "<f4", "<i8", "<i4", "<i2", "|i1", "<u8", "<u4", "<u2", "|u1", "|b1")}


class WireError(ValueError):
    """A message that is not well-formed plain data."""


def encode(obj) -> bytes:
    """Serialize plain data (see module docstring) to bytes."""
    arrays: list[bytes] = []
    offset = 0

    def walk(value):
        nonlocal offset
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, np.ndarray):
            dtype = value.dtype.newbyteorder("<") if value.dtype.byteorder == ">" else value.dtype
            if dtype.str not in DTYPES:
                raise WireError(f"arrays of dtype {value.dtype} cannot be sent")
            data = np.ascontiguousarray(value, dtype=dtype).tobytes()
            arrays.append(data)
            offset += len(data)
            return {ARRAY_TAG: [dtype.str, list(value.shape), offset - len(data)]}
        if isinstance(value, (list, tuple)):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            if not all(isinstance(k, str) for k in value):
                raise WireError("dict keys must be strings")
            return {k: walk(v) for k, v in value.items()}
        raise WireError(f"cannot send a value of type {type(value).__name__}")

    header = json.dumps(walk(obj)).encode()
    return b"".join([_LEN.pack(len(header)), header, *arrays])


def decode(data: bytes):
    """Inverse of :func:`encode`; raises :class:`WireError` on anything malformed."""
    try:
        (size,) = _LEN.unpack_from(data, 0)
        if 8 + size > len(data):
            raise ValueError("header longer than the message")
        body = memoryview(data)[8 + size:]
        return json.loads(data[8:8 + size], object_hook=lambda obj: _array(obj, body))
    except RecursionError:
        raise WireError("malformed message: nested too deeply") from None
    except (struct.error, ValueError, TypeError, OverflowError, MemoryError) as exc:
        raise WireError(f"malformed message: {type(exc).__name__}: {exc}"[:200]) from None


def _array(obj: dict, body: memoryview):
    """A JSON object as decoded: the array it stands for, if it is an array's tag."""
    if ARRAY_TAG not in obj:
        return obj
    spec = obj[ARRAY_TAG]
    if not (len(obj) == 1 and isinstance(spec, list) and len(spec) == 3
            and spec[0] in DTYPES and isinstance(spec[1], list) and type(spec[2]) is int
            and all(type(n) is int and n >= 0 for n in spec[1])):
        raise WireError("malformed array")
    dtype, shape, offset = DTYPES[spec[0]], spec[1], spec[2]
    count = math.prod(shape)
    if offset < 0 or offset + count * dtype.itemsize > len(body):
        raise WireError("array data out of range")
    return np.frombuffer(body, dtype, count, offset).reshape(shape).copy()


def frame(payload: bytes) -> bytes:
    """``payload`` as it goes on the socket: its length, then itself."""
    return _LEN.pack(len(payload)) + payload


def frame_length(prefix: bytes) -> int:
    """The payload length a frame's first 8 bytes announce."""
    return _LEN.unpack(prefix)[0]


def join(messages: list[bytes]) -> bytes:
    """Several encoded messages as one frame, to be read in one go (see :func:`split`)."""
    return b"".join(map(frame, messages))


def split(frame: bytes) -> list[bytes]:
    """The messages of a frame made by :func:`join`."""
    messages, at = [], 0
    try:
        while at < len(frame):
            (size,) = _LEN.unpack_from(frame, at)
            if at + 8 + size > len(frame):
                raise WireError("message longer than the frame")
            messages.append(frame[at + 8:at + 8 + size])
            at += 8 + size
    except struct.error:
        raise WireError("malformed frame") from None
    return messages

# ---------------------------------------------------------------- messages

KEPT, FUNCTION = "__kept__", "__fn__"


def load(name: str, filename: str, cells: list[str]) -> dict:
    """The request to run a submission's code ``cells`` in order, as module ``name``."""
    return {"op": "load", "name": name, "filename": filename, "cells": cells}


def call(fn: str, args: list, keep: str | None = None, pick: int | None = None) -> dict:
    """The request to call ``fn(*args)``; ``keep`` names its result for later calls,
    ``pick`` sends back only that item of a tuple result."""
    return {"op": "call", "fn": fn, "args": args, "keep": keep, "pick": pick}


def calls(requests: list[dict]) -> dict:
    """Several :func:`call` requests made in a row, one reply each."""
    return {"op": "calls", "calls": requests}


def kept(name: str, item: int | None = None) -> dict:
    """An argument: the result kept as ``name`` by an earlier call (its item ``item``)."""
    return {KEPT: name, "item": item}


def function(name: str, args: list) -> dict:
    """An argument: the trusted function that factory ``name`` makes from ``args``."""
    return {FUNCTION: name, "args": args}


def uses_kept(value) -> bool:
    """Whether an argument (or a list of them) refers to a kept result."""
    if isinstance(value, dict):
        return KEPT in value or any(uses_kept(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(uses_kept(v) for v in value)
    return False


def loaded(functions: list[str], problems: list[dict], printed: str) -> dict:
    """The reply to :func:`load`: the functions defined, the problems met (each a
    :func:`failed` reply), what was printed."""
    return {"ok": True, "functions": functions, "problems": problems, "printed": printed}


def answered(value, warnings: list[str], mutated: list[int], seconds: float,
             printed: str) -> dict:
    """The reply to a call that returned: its plain value, NumPy's warnings, the indices
    of the arguments it changed in place, its time and what it printed."""
    return {"ok": True, "value": value, "warnings": warnings, "mutated": mutated,
            "seconds": seconds, "printed": printed}


def failed(error: str, message: str, params: dict[str, str] | None = None,
           **details) -> dict:
    """A reply saying a request failed: ``error`` is ``internal``, ``missing``, ``type``,
    ``exception``, ``syntax`` (or ``confine``, for a child that could not start).

    ``message`` is the *code* of what went wrong (``"returned-none"``), never a sentence:
    the grader writes it from the code and the texts ``params`` (``{"type": "ValueError",
    "detail": "…"}``), see :data:`autograder.sandbox.messages.MESSAGES`.  ``details`` are
    ``type`` (an exception's class name), ``where`` (the file), ``cell`` and ``line``
    (numbers, or ``None``) and ``printed``."""
    return {"ok": False, "error": error, "message": message, "params": params or {},
            **details}


# ---------------------------------------------------------------- replies, checked

MAX_TEXT = 20_000  # characters in one text field (the child sends at most about 2,000)
MAX_ITEMS = 10_000  # items in one list field (function names, problems, warnings)
MAX_PARAMS = 8  # parameters of one failure's message


def _text(value) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT


def _optional_text(value) -> bool:
    return value is None or _text(value)


def _list_of(item: Callable[[object], bool]) -> Callable[[object], bool]:
    return lambda value: (isinstance(value, list) and len(value) <= MAX_ITEMS
                          and all(item(v) for v in value))


def _index(value) -> bool:
    return type(value) is int and 0 <= value < 2**31


def _optional_index(value) -> bool:
    return value is None or _index(value)


def _params(value) -> bool:
    """A failure's parameters: a few named texts."""
    return (isinstance(value, dict) and len(value) <= MAX_PARAMS
            and all(isinstance(k, str) and len(k) <= 40 and _text(v) for k, v in value.items()))


def _seconds(value) -> bool:
    return type(value) in (int, float) and math.isfinite(value) and value >= 0


def is_problem(value) -> bool:
    """Whether ``value`` is a well-formed failure, its ``seq`` not needed: a problem met
    while loading (a syntax error, an exception), or what a child that could not start says."""
    return (isinstance(value, dict) and value.get("ok") is False
            and all(k in ERROR_FIELDS and ERROR_FIELDS[k](v) for k, v in value.items()))


ERROR_FIELDS: dict[str, Callable[[object], bool]] = {
    "ok": lambda v: v is False, "seq": _index, "error": _text, "message": _text,
    "params": _params, "type": _optional_text, "where": _optional_text,
    "cell": _optional_index, "line": _optional_index, "printed": _text,
}
OK_FIELDS: dict[str, Callable[[object], bool]] = {
    "ok": lambda v: v is True, "seq": _index, "printed": _text,
    # a call's reply
    "value": lambda v: True, "warnings": _list_of(_text), "mutated": _list_of(_index),
    "seconds": _seconds,
    # a load's reply
    "functions": _list_of(_text), "problems": _list_of(is_problem),
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
