"""Shared test set-up."""

import pytest


@pytest.fixture(autouse=True)
def private_journal(tmp_path, monkeypatch):
    """`backprop grade` run in a test records its results in the test's own journal,
    not in the checkout's `.backprop-journal.jsonl`."""
    monkeypatch.setattr("autograder.cli.DEFAULT_JOURNAL", tmp_path / "journal.jsonl")
