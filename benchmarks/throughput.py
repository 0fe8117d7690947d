"""Grading throughput: submissions per second with 1 and 2 workers.

    python benchmarks/throughput.py [-n 300] [--exercise ID] [--sandbox LEVEL]

Grades ``n`` submissions made by cycling through the sample class (correct,
wrong and broken files of all six exercises, or of one with ``--exercise``)
and prints, per worker count, the wall time, submissions/s and the
per-submission overhead: the time each worker spent per submission minus the
time spent inside the student's own functions.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from autograder import exercises
from autograder.config import Config
from autograder.grading import Grader
from autograder.submissions import find_submissions

ROOT = Path(__file__).resolve().parent.parent


def make_class(folder: Path, pattern: str, n: int) -> None:
    """``n`` submissions in ``folder``, cycling through the sample class's files."""
    files = sorted((ROOT / "samples" / "class").glob(pattern))
    for i in range(n):
        path = files[i % len(files)]
        target = folder / f"{path.parent.name}-{i // len(files)}" / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)


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
            grader = Grader(Config(workers=workers, sandbox=args.sandbox),
                            sorted({s.exercise for s in submissions}), hidden=True)
            start = time.perf_counter()
            results = grader.grade_all(submissions)
            wall = time.perf_counter() - start
            own = sum(r.student_seconds for r in results)
            n = len(results)
            print(f"{args.exercise or 'all six'} [{grader.sandbox}]: {n} submissions, "
                  f"{workers} worker(s): "
                  f"{wall:.2f} s, "
                  f"{n / wall:.1f} submissions/s, overhead {1000 * (wall * workers - own) / n:.1f} "
                  f"ms per submission (student code {1000 * own / n:.2f} ms)")


if __name__ == "__main__":
    main()
