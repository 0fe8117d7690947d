"""nbgrader's autograde against ``backprop grade``, on the same notebook submissions.

    python benchmarks/nbgrader_vs_backprop.py [--count 20] [--exercise activations]

Makes an nbgrader course directory (``backprop nbgrader init``), releases the
exercise (``nbgrader generate_assignment``) and fills ``--count`` notebook
submissions from the sample class — correct and wrong in turn.  Then it times,
as an instructor runs them, ``nbgrader autograde`` (one kernel per notebook,
one notebook at a time) and ``backprop grade`` on the ``submitted/`` folder
(sandboxed, in parallel), checks that both give every function the same score,
and prints both wall times and their ratio.  Needs ``pip install -e ".[nbgrader]"``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.authoring import build
from autograder.platforms.nbgrader import course

ROOT = Path(__file__).resolve().parent.parent


def run(folder: Path, *command: str) -> float:
    """Run a command in the course folder; its wall time in seconds (it must succeed)."""
    env = {k: v for k, v in os.environ.items() if k != "NBGRADER_EXECUTION"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"  # alembic
    start = time.perf_counter()
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def submissions(folder: Path, exercise: str, count: int) -> None:
    """``count`` notebooks in submitted/: the reference and the sample class's files in turn."""
    release = nbformat.read(folder / "release" / exercise / f"{exercise}.ipynb", as_version=4)
    sources = [build.unmarked((ROOT / "solutions" / f"{exercise}.py").read_text())]
    sample_class = sorted((ROOT / "samples" / "class").glob(f"*/{exercise}.py"))
    sources += [path.read_text() for path in sample_class]
    for index in range(count):
        target = folder / "submitted" / f"s{index:03d}" / exercise / f"{exercise}.ipynb"
        target.parent.mkdir(parents=True)
        nbformat.write(course.fill_notebook(release, sources[index % len(sources)]), target)


def nbgrader_scores(folder: Path, exercise: str) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{folder / 'gradebook.db'}") as book:
        return {(s.student.id, g.name): g.score for s in book.assignment_submissions(exercise)
                for g in s.notebooks[0].grades}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20, help="notebook submissions")
    parser.add_argument("--exercise", default="activations")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "course"
        course.init(folder)
        run(folder, sys.executable, "-m", "nbgrader", "generate_assignment", args.exercise,
            "--force")
        submissions(folder, args.exercise, args.count)
        ours = folder / "backprop.jsonl"
        theirs_s = run(folder, sys.executable, "-m", "nbgrader", "autograde", args.exercise,
                       "--force")
        ours_s = run(folder, sys.executable, "-m", "autograder.cli", "grade", "submitted",
                     "--exercise", args.exercise, "--json", str(ours), "--fresh",
                     "--journal", str(folder / "journal.jsonl"))
        records = [json.loads(line) for line in ours.read_text().splitlines()]
        expected = {(r["student"], f"test_{p['name']}"): p["score"]
                    for r in records for p in r["parts"]}
        got = nbgrader_scores(folder, args.exercise)
        if got != expected:
            differ = sorted(k for k in expected if got.get(k) != expected[k])
            sys.exit(f"the scores differ: {differ[:10]}")
        total = sum(r["score"] for r in records)
        most = sum(r["max_score"] for r in records)
        print(f"{args.exercise}: {len(records)} notebook submissions, {total:g}/{most:g} "
              "points in all; nbgrader's and backprop's scores are identical, part by part")
        print(f"nbgrader autograde: {theirs_s:.1f} s ({theirs_s / len(records):.2f} s per "
              "notebook)")
        print(f"backprop grade:     {ours_s:.1f} s ({ours_s / len(records):.2f} s per notebook, "
              f"{os.cpu_count()} workers)")
        print(f"ratio: backprop grade is {theirs_s / ours_s:.1f}x faster")


if __name__ == "__main__":
    main()
