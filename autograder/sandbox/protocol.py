"""The wire format between the grader and a student's process: plain data only.

A message is a JSON document followed by the raw bytes of the arrays it
refers to (what a ``.npy`` file holds after its header).  Nothing is ever
pickled, so decoding a message from a hostile process can produce only
``None``, booleans, numbers, strings, lists, dicts with string keys, and
NumPy arrays of the little-endian dtypes in :data:`DTYPES`.

Layout: ``len(header)`` as 8 bytes, the header JSON (utf-8), then the arrays'
bytes back to back.  Inside the JSON an array is
``{"__nd__": [dtype, shape, offset]}``, its bytes starting at ``offset``
after the header.  The grader sends its requests in frames of one or more
messages (:func:`join`), so that all of a submission's requests go at once.

On the socket, every frame is its length (8 bytes, little-endian) followed by
that many bytes (:func:`frame`); the grader reads the student's side with
:class:`autograder.sandbox.host.Child`, which never trusts a length it is told.
"""

from __future__ import annotations

import json
import math
import struct

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
