"""Grading throughput: submissions per second with 1 and 2 workers.

    python benchmarks/throughput.py [-n 300] [--exercise ID] [--sandbox LEVEL]

Grades ``n`` submissions made by cycling through the sample class (correct,
wrong and broken files of all six exercises, or of one with ``--exercise``)
and prints, per worker count, the wall time, submissions/s and the
per-submission overhead: the time each worker spent per submission minus the
time spent inside the student's own functions.  Where to look for that
overhead, per submission: the CPU time of the grading process (judging, the
wire), and the CPU time of the whole machine (everything: the grader, the
sandboxed processes, the kernel forking them and tearing them down).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from autograder import exercises
from autograder.config import Config
from autograder.grading.grader import Grader
from autograder.grading.submissions import find_submissions

ROOT = Path(__file__).resolve().parent.parent


def make_class(folder: Path, pattern: str, n: int) -> None:
    """``n`` submissions in ``folder``, cycling through the sample class's files."""
    files = sorted((ROOT / "samples" / "class").glob(pattern))
    for i in range(n):
        path = files[i % len(files)]
        target = folder / f"{path.parent.name}-{i // len(files)}" / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)


def machine_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy since it booted (Linux; NaN elsewhere)."""
    try:
        with open("/proc/stat") as f:
            ticks = [int(t) for t in f.readline().split()[1:]]
    except OSError:
        return float("nan")
    idle = ticks[3] + ticks[4]  # idle and waiting for I/O
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="submissions (default 300)")
    parser.add_argument("--exercise", help="one exercise only (default: all six)")
    parser.add_argument("--sandbox", default="auto", help="isolation level (default: auto)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
          f"Python {platform.python_version()}, NumPy {np.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_class(folder, f"*/{args.exercise or '*'}.*", args.n)
        ids = set(exercises.ids())
        submissions, _ = find_submissions(folder, ids)
        for workers in (1, 2):
            # Timed from the grader's making: its answer keys and its warm worker's start
            # belong to the run, wherever the grader computes them.
            start, cpu, busy = time.perf_counter(), time.process_time(), machine_cpu_seconds()
            grader = Grader(Config(workers=workers, sandbox=args.sandbox),
                            sorted({s.exercise for s in submissions}), hidden=True)
            results = grader.grade_all(submissions)
            wall = time.perf_counter() - start
            cpu, busy = time.process_time() - cpu, machine_cpu_seconds() - busy
            own = sum(r.student_seconds for r in results)
            n = len(results)
            print(f"{args.exercise or 'all six'} [{grader.sandbox}]: {n} submissions, "
                  f"{workers} worker(s): {wall:.2f} s, {n / wall:.1f} submissions/s, "
                  f"overhead {1000 * (wall * workers - own) / n:.1f} ms per submission "
                  f"(student code {1000 * own / n:.1f} ms; CPU per submission: grader "
                  f"{1000 * cpu / n:.1f} ms, machine {1000 * busy / n:.1f} ms)")


if __name__ == "__main__":
    main()
