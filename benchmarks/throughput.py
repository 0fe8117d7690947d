"""Grading throughput: submissions per second with 1 and 2 workers.

    python benchmarks/throughput.py [--copies 10] [--exercise activations]

Grades ``copies`` copies of every sample-class submission of the exercise
(correct, wrong and broken ones alike) and prints, per worker count, the
wall time, submissions/s and the per-submission overhead (wall time per
submission minus the time spent inside the student's own functions).
"""

from __future__ import annotations

import argparse
import platform
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np

from autograder.config import Config
from autograder.grading import Grader
from autograder.submissions import find_submissions

ROOT = Path(__file__).resolve().parent.parent


def make_class(folder: Path, exercise: str, copies: int) -> None:
    for path in sorted((ROOT / "samples" / "class").glob(f"*/{exercise}.*")):
        for i in range(copies):
            target = folder / f"{path.parent.name}-{i}" / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--exercise", default="activations")
    parser.add_argument("--sandbox", default="auto", help="isolation level (default: auto)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, "
          f"Python {platform.python_version()}, NumPy {np.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_class(folder, args.exercise, args.copies)
        submissions, _ = find_submissions(folder, {args.exercise})
        for workers in (1, 2):
            grader = Grader(Config(workers=workers, sandbox=args.sandbox), [args.exercise],
                            hidden=True)
            start = time.perf_counter()
            results = grader.grade_all(submissions)
            wall = time.perf_counter() - start
            own = sum(r.student_seconds for r in results)
            n = len(results)
            print(f"{args.exercise} [{grader.sandbox}]: {n} submissions, {workers} worker(s): "
                  f"{wall:.2f} s, "
                  f"{n / wall:.1f} submissions/s, overhead {1000 * (wall * workers - own) / n:.1f} "
                  f"ms per submission (student code {1000 * own / n:.2f} ms)")


if __name__ == "__main__":
    main()
