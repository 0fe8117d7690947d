"""Where the grader's time goes: grading profiled with pyinstrument.

    python benchmarks/profile_grading.py [-n 60] [--exercise ID] [--sandbox LEVEL]

Grades ``n`` submissions of the sample class (as ``throughput.py`` makes them),
one after the other in this thread so that the profiler sees every step of the
grader's side, and prints pyinstrument's call tree.  Time the grader spends
waiting for a student's process shows as ``poll``; what that process does is
not in the tree (it is another process).  Also prints how many processes were
forked and how many messages crossed the boundary per submission.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

from pyinstrument import Profiler

from autograder import exercises
from autograder.config import Config
from autograder.grading.grader import Grader
from autograder.grading.submissions import find_submissions
from autograder.sandbox.channel import Child
from autograder.sandbox.host import Zygote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import make_class  # noqa: E402 - the benchmarks' folder is not a package


def counting(cls, name: str, counts: dict) -> None:
    """Count the calls of ``cls.name``."""
    method = getattr(cls, name)

    def counted(*args, **kwargs):
        counts[name] = counts.get(name, 0) + 1
        return method(*args, **kwargs)

    setattr(cls, name, counted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=60, help="submissions (default 60)")
    parser.add_argument("--exercise", help="one exercise only (default: all six)")
    parser.add_argument("--sandbox", default="auto", help="isolation level (default: auto)")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    counts: dict[str, int] = {}
    for cls, name in ((Zygote, "spawn"), (Child, "send"), (Child, "receive")):
        counting(cls, name, counts)
    with tempfile.TemporaryDirectory() as tmp:
        make_class(Path(tmp), f"*/{args.exercise or '*'}.*", args.n)
        submissions, _ = find_submissions(Path(tmp), set(exercises.ids()))
        grader = Grader(Config(workers=1, sandbox=args.sandbox),
                        sorted({s.exercise for s in submissions}), hidden=True)
        with Zygote(args.sandbox) as zygote:
            grader.grade(zygote, submissions[0])  # the warm worker's first fork
            counts.clear()
            profiler = Profiler(interval=0.0005)
            start = time.perf_counter()
            with profiler:
                results = [grader.grade(zygote, s) for s in submissions]
            wall = time.perf_counter() - start
    n = len(results)
    own = sum(r.student_seconds for r in results)
    print(f"{n} submissions [{zygote.level}], profiled: {1000 * wall / n:.1f} ms each, "
          f"student code {1000 * own / n:.1f} ms; per submission: "
          + ", ".join(f"{counts.get(k, 0) / n:.1f} {what}" for k, what in (
              ("spawn", "processes forked"), ("send", "messages sent"),
              ("receive", "replies received"))))
    print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
