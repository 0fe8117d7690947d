"""Every benchmark script runs with one command and prints its numbers (here on small sizes)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

RUNS = {
    "throughput.py": (["-n", "12", "--exercise", "losses"],
                      [r"1 worker\(s\): .* submissions/s, overhead [\d.]+ ms per submission",
                       r"2 worker\(s\): .* CPU per submission: grader [\d.]+ ms"]),
    "nbgrader_vs_backprop.py": (["--count", "2"],
                                [r"scores are identical, part by part",
                                 r"ratio: backprop grade is [\d.]+x faster"]),
    "gradcheck_cost.py": (["--max-exponent", "3"], [r"\n\s+992\s+1,984 .* 18 "]),
    "check_latency.py": (["--runs", "1"], [r"sandbox process\): median [\d.]+ s"]),
    "profile_grading.py": (["-n", "3", "--exercise", "activations"],
                           [r"1\.0 processes forked, 1\.0 messages sent", r"Grader\.grade"]),
}


@pytest.mark.parametrize("script", sorted(RUNS))
def test_benchmark_runs_and_prints_its_numbers(script):
    args, patterns = RUNS[script]
    done = subprocess.run([sys.executable, str(BENCHMARKS / script), *args],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("machine:")
    for pattern in patterns:
        assert re.search(pattern, done.stdout), (pattern, done.stdout)
