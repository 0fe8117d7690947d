"""Tolerances accept correct code written another way and reject wrong code;
diagnoses name the typical mistakes."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.numerics.compare import compare
from autograder.numerics.diagnose import batch_factors, diagnose

X = np.linspace(-30, 30, 601)
T = np.tanh(X)
SIG = 1 / (1 + np.exp(-np.clip(X, -500, 500)))

EQUIVALENT = {
    "1 - t**2 vs (1 - t)(1 + t)": ((1 - T) * (1 + T), 1 - T**2),
    "tanh form of the sigmoid": (0.5 * (1 + np.tanh(X / 2)), SIG),
    "logaddexp vs log1p(exp)": (np.logaddexp(0, X), np.log1p(np.exp(X))),
    "s(1-s) vs s - s*s": (SIG - SIG * SIG, SIG * (1 - SIG)),
    "scalar as a 1-element array": (np.array([0.25]), np.array(0.25)),
}


@pytest.mark.parametrize("got, expected", EQUIVALENT.values(), ids=EQUIVALENT.keys())
def test_equivalent_formulas_agree(got, expected):
    assert compare(got, expected) is None


WRONG = {
    "sign flip": lambda e: -e,
    "off by 1e-4 relative": lambda e: e * (1 + 1e-4),
    "one element wrong": lambda e: np.where(np.arange(e.size).reshape(e.shape) == 3, e + 0.01, e),
    "extra term": lambda e: e + 1e-3,
    "transposed": lambda e: e.T,
    "NaN": lambda e: np.where(np.arange(e.size).reshape(e.shape) == 0, np.nan, e),
}


@pytest.mark.parametrize("mistake", WRONG.values(), ids=WRONG.keys())
def test_wrong_results_are_rejected(mistake):
    expected = np.random.default_rng(0).uniform(0.1, 2, (3, 4))
    assert compare(mistake(expected), expected) is not None


INFINITE = np.array([1.0, np.inf, -np.inf])


@pytest.mark.parametrize("got, agrees", [
    ([1.0, np.inf, -np.inf], True),
    ([1.0, 5.0, -np.inf], False),  # a finite value where an infinity is expected
    ([1.0, np.inf, np.inf], False),  # the infinity of the other sign
    ([1.0, np.inf, np.nan], False),
])
def test_an_infinity_is_matched_only_by_the_same_infinity(got, agrees):
    assert (compare(np.array(got), INFINITE) is None) == agrees


def test_tuples_and_dicts_name_the_wrong_item():
    e = np.ones(3)
    found = compare((1.0, e * 2), (1.0, e), names=("loss", "dpred"))
    assert found.component == "dpred" and found.path == (1,)
    found = compare({"W1": e, "b1": e}, {"W1": e, "b1": -e})
    assert found.component == "['b1']" and found.path == ("b1",)
    nested = compare((1.0, {"t": 3.0}), (1.0, {"t": 4.0}), names=("params", "state"))
    assert nested.component == "state['t']" and nested.path == (1, "t")
    assert "keys" in compare({"W1": e}, {"W1": e, "b1": e}).problem
    assert "tuple of 2" in compare(e, (1.0, e)).problem


INPUTS = {"x": np.ones((4, 3))}
DIAGNOSES = {
    "sign flip": (lambda e: -e, "sign flip"),
    "sum instead of mean": (lambda e: e * 4, "batch size N = 4"),
    "averaging twice": (lambda e: e / 4, "too small"),
    "sum over every element": (lambda e: e * 12, "number of elements"),
    "½ convention": (lambda e: e / 2, "half"),
    "transposed shape": (lambda e: e.T, "transposed shape"),
    "kept the batch axis": (lambda e: np.stack([e] * 4), "summed away"),
    "lost an axis": (lambda e: e.sum(axis=0), "lost an axis"),
    "other factor": (lambda e: e * 1.7, "times 1.7"),
    "all zeros": (lambda e: 0 * e, "all zeros"),
    "overflow": (lambda e: e * np.inf, "inf or NaN"),
}


@pytest.mark.parametrize("mistake, phrase", DIAGNOSES.values(), ids=DIAGNOSES.keys())
def test_diagnosis_names_the_mistake(mistake, phrase):
    expected = np.random.default_rng(1).uniform(0.5, 2, (3, 5))
    got = mistake(expected)
    found = compare(got, expected)
    assert found is not None
    assert phrase in diagnose(found, None, batch_factors(INPUTS))


def test_square_transposed_values_and_named_mistakes():
    expected = np.arange(9.0).reshape(3, 3) + 1
    assert "transpose" in diagnose(compare(expected.T, expected))
    wrong = expected[::-1]
    assert diagnose(compare(wrong, expected), {"Wrong axis!": wrong}) == "Wrong axis!"


def test_no_diagnosis_for_an_arbitrary_error():
    expected = np.random.default_rng(2).uniform(0.5, 2, (3, 5))
    got = expected + np.random.default_rng(3).uniform(0.1, 0.2, (3, 5))
    assert diagnose(compare(got, expected)) is None


def test_sampled_gradient_check_of_many_parameters():
    from autograder.checks.gradients import Gradient, sampled_gradient

    rng = np.random.default_rng(0)
    x, W = rng.standard_normal((30, 25)), rng.standard_normal((25, 20))
    dout = rng.standard_normal((30, 20))
    key = sampled_gradient(lambda W: float(np.sum(dout * (x @ W))), {"W": W})
    check = Gradient(1, [], forward=None, of="x @ W", wrt={None: "W"})
    dW = x.T @ dout
    assert check._compare(dW, "W", key) is None
    wrong = check._compare(-dW, "W", key)
    assert "sampled element" in wrong.sentence() and "sign flip" in diagnose(wrong)
    assert "shape (20, 25)" in check._compare(dW.T, "W", key).sentence()
