"""The wire format between the grader and a student's process: plain data only.

A message is a JSON document followed by the raw ``.npy`` bytes of the arrays
it refers to.  Nothing is ever pickled, so decoding a message from a hostile
process can produce only ``None``, booleans, numbers, strings, lists, dicts
with string keys, and NumPy arrays of plain numeric dtypes.

Layout: ``len(header) as 8 bytes, header JSON (utf-8), then each array as
8-byte length + .npy bytes``.  Inside the JSON an array is ``{"__nd__": i}``.
"""

from __future__ import annotations

import io
import json
import struct

import numpy as np

ARRAY_TAG = "__nd__"
_LEN = struct.Struct("<Q")
#: dtypes an array may have on the wire: numbers and booleans, nothing else.
PLAIN_KINDS = frozenset("biuf")


class WireError(ValueError):
    """A message that is not well-formed plain data."""


def encode(obj) -> bytes:
    """Serialize plain data (see module docstring) to bytes."""
    arrays: list[bytes] = []

    def walk(value):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, np.ndarray):
            if value.dtype.kind not in PLAIN_KINDS:
                raise WireError(f"arrays of dtype {value.dtype} cannot be sent")
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.array(value, order="C"), allow_pickle=False)
            arrays.append(buf.getvalue())
            return {ARRAY_TAG: len(arrays) - 1}
        if isinstance(value, (list, tuple)):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            if not all(isinstance(k, str) for k in value):
                raise WireError("dict keys must be strings")
            return {k: walk(v) for k, v in value.items()}
        raise WireError(f"cannot send a value of type {type(value).__name__}")

    header = json.dumps(walk(obj)).encode()
    parts = [_LEN.pack(len(header)), header]
    for blob in arrays:
        parts += [_LEN.pack(len(blob)), blob]
    return b"".join(parts)


def decode(data: bytes):
    """Inverse of :func:`encode`; raises :class:`WireError` on anything malformed."""
    try:
        view = memoryview(data)
        (size,) = _LEN.unpack_from(view, 0)
        header = json.loads(bytes(view[8:8 + size]))
        pos = 8 + size
        arrays = []
        while pos < len(view):
            (n,) = _LEN.unpack_from(view, pos)
            blob = io.BytesIO(view[pos + 8:pos + 8 + n])
            array = np.lib.format.read_array(blob, allow_pickle=False)
            if array.dtype.kind not in PLAIN_KINDS:
                raise WireError(f"array of dtype {array.dtype}")
            arrays.append(array)
            pos += 8 + n
    except (struct.error, ValueError, UnicodeDecodeError) as exc:
        raise WireError(f"malformed message: {exc}") from None

    def walk(value):
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            if set(value) == {ARRAY_TAG}:
                index = value[ARRAY_TAG]
                if not isinstance(index, int) or not 0 <= index < len(arrays):
                    raise WireError("array reference out of range")
                return arrays[index]
            return {k: walk(v) for k, v in value.items()}
        return value

    return walk(header)
