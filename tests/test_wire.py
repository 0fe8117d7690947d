"""The wire format carries plain data only, and refuses anything else."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest

from autograder import wire
from autograder.sandbox import unwrap

ROUND_TRIPS = {
    "nested": {"a": [1, 2.5, None, "x", True], "b": {"c": -3}},
    "float64 matrix": np.arange(6.0).reshape(2, 3),
    "non-contiguous": np.arange(12.0).reshape(3, 4)[:, ::2],
    "0-d": np.array(1.5),
    "empty": np.zeros((0, 3)),
    "int and bool": [np.arange(4), np.array([True, False])],
    "big-endian": np.arange(3, dtype=">f8"),
    "nan and inf": [float("nan"), np.array([np.inf, -np.inf, np.nan])],
}


@pytest.mark.parametrize("value", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_round_trip(value):
    back = wire.decode(wire.encode(value))
    flat_in, flat_out = json.dumps(_shape_of(value)), json.dumps(_shape_of(back))
    assert flat_in == flat_out
    for a, b in zip(_arrays(value), _arrays(back)):
        assert a.shape == b.shape
        np.testing.assert_array_equal(a.astype(b.dtype), b)


def _arrays(value):
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, (list, tuple)):
        return [a for v in value for a in _arrays(v)]
    if isinstance(value, dict):
        return [a for v in value.values() for a in _arrays(v)]
    return []


def _shape_of(value):
    if isinstance(value, np.ndarray):
        return ["array", list(value.shape)]
    if isinstance(value, (list, tuple)):
        return [_shape_of(v) for v in value]
    if isinstance(value, dict):
        return {k: _shape_of(v) for k, v in value.items()}
    return "nan" if isinstance(value, float) and value != value else value


@pytest.mark.parametrize("value", [np.array([object()]), np.array(["text"]), object(),
                                   {1: "non-string key"}, np.array([1j])])
def test_encode_refuses_what_is_not_plain(value):
    with pytest.raises(wire.WireError):
        wire.encode(value)


def _message(header: dict | list, body: bytes = b"") -> bytes:
    text = json.dumps(header).encode()
    return struct.pack("<Q", len(text)) + text + body


@pytest.mark.parametrize("data", [
    b"", b"\x05", struct.pack("<Q", 100) + b"{}",
    _message({"__nd__": ["|O", [1], 0]}, b"\x00" * 8),
    _message({"__nd__": ["<f8", [4], 0]}, b"\x00" * 8),
    _message({"__nd__": ["<f8", [-1], 0]}),
    _message({"__nd__": "not a spec"}),
    struct.pack("<Q", 4) + b"\xff\xfe\x00\x01",
])
def test_decode_refuses_malformed_messages(data):
    with pytest.raises(wire.WireError):
        wire.decode(data)


@pytest.mark.parametrize("value", [
    {"__seq__": "tuple", "items": [np.arange(2)]},  # not float64
    {"__dict__": [1]}, "a string", None, [1.0],
])
def test_unwrap_accepts_only_what_the_child_produces(value):
    with pytest.raises(wire.WireError):
        unwrap(value)
