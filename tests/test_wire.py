"""The wire format carries plain data only, and refuses anything else."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder.sandbox import protocol
from autograder.sandbox.channel import unwrap

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
    back = protocol.decode(protocol.encode(value))
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
    with pytest.raises(protocol.WireError):
        protocol.encode(value)


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
    with pytest.raises(protocol.WireError):
        protocol.decode(data)


@pytest.mark.parametrize("value", [
    {"__seq__": "tuple", "items": [np.arange(2)]},  # not float64
    {"__dict__": [1]}, "a string", None, [1.0],
])
def test_unwrap_accepts_only_what_the_child_produces(value):
    with pytest.raises(protocol.WireError):
        unwrap(value)


# --------------------------------------------------------------------------- fuzzing
# Whatever bytes a student's process sends, decoding them (protocol.decode, then the shape
# of a reply, then its value) either gives a reply or raises WireError: never another
# exception, never a hang. The deadline keeps each example fast.

def _decode_reply(data: bytes) -> dict:
    reply = protocol.checked(protocol.decode(data), 0)
    if "value" in reply:
        reply["value"] = unwrap(reply["value"])
    return reply


VALID = [
    protocol.encode({"ok": True, "seq": 0, "value": {"__seq__": "tuple", "items": [
        np.arange(6.0).reshape(2, 3), 1.5]}, "warnings": [], "mutated": [0],
        "seconds": 0.001, "printed": ""}),
    protocol.encode({"ok": True, "seq": 0, "functions": ["relu", "sigmoid"], "problems": [
        {"ok": False, "error": "syntax", "type": "SyntaxError", "message": "bad",
         "where": "f.py, line 2"}], "printed": "hello"}),
    protocol.encode({"ok": False, "seq": 0, "error": "exception", "type": "ValueError",
                 "message": "no", "where": None, "printed": ""}),
]
FUZZ = settings(max_examples=300, deadline=200,
                suppress_health_check=[HealthCheck.too_slow])


def _survives(data: bytes) -> None:
    try:
        _decode_reply(data)
    except protocol.WireError:
        pass


@FUZZ
@given(st.binary(max_size=512))
def test_random_bytes_raise_only_the_decoders_error(data):
    _survives(data)


@FUZZ
@given(st.sampled_from(VALID), st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)),
                                        max_size=8),
       st.integers(0, 10**6), st.binary(max_size=64))
def test_mutated_replies_raise_only_the_decoders_error(valid, flips, cut, tail):
    data = bytearray(valid)
    for at, byte in flips:
        data[at % len(data)] = byte
    _survives(bytes(data[:cut % (len(data) + 1)]) + tail)


JSON_LEAVES = st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(
    max_size=8)
JSON = st.recursive(JSON_LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(["ok", "seq", "value", "__seq__", "items", "__dict__", "__nd__",
                     "printed", "functions", "problems", "mutated", "seconds"]) | st.text(
        max_size=4), inner, max_size=4), max_leaves=20)


@FUZZ
@given(JSON, st.binary(max_size=64))
def test_any_json_with_any_body_raises_only_the_decoders_error(header, body):
    text = json.dumps(header).encode()
    _survives(struct.pack("<Q", len(text)) + text + body)


@pytest.mark.parametrize("text", [b"[" * 200_000 + b"]" * 200_000,
                                  b'{"a":' * 100_000 + b"1" + b"}" * 100_000])
def test_deep_nesting_is_refused_quickly(text):
    with pytest.raises(protocol.WireError, match="nested too deeply"):
        protocol.decode(struct.pack("<Q", len(text)) + text)


@pytest.mark.parametrize("reply, problem", [
    ({"ok": True, "seq": 1, "value": 1.0}, "nothing that was asked"),
    ({"ok": True, "value": 1.0}, "nothing that was asked"),
    ({"ok": True, "seq": 0, "value": 1.0, "extra": 1}, "unknown field"),
    ({"ok": True, "seq": 0, "functions": [1]}, "'functions' is malformed"),
    ({"ok": True, "seq": 0, "seconds": float("nan")}, "'seconds' is malformed"),
    ({"ok": False, "seq": 0, "message": "x" * 30_000}, "'message' is malformed"),
    ({"ok": False, "seq": 0, "value": 1.0}, "unknown field"),
    ({"ok": "yes", "seq": 0}, "not a reply"),
])
def test_replies_of_the_wrong_shape_are_refused(reply, problem):
    with pytest.raises(protocol.WireError, match=problem):
        protocol.checked(reply, 0)
