"""Student feedback latency: wall time of ``backprop check`` on one file, start to report.

    python benchmarks/check_latency.py [--runs 5] [--exercise activations]

Runs the real command in a new process on a correct file (the reference with
its markers removed) and prints the median and the fastest of ``runs``, for
the sandbox level ``backprop check`` picks by itself and for the process level.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from autograder.authoring.markers import unmarked

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--exercise", default="activations")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{args.exercise}.py"
        path.write_text(unmarked((ROOT / "solutions" / f"{args.exercise}.py").read_text()))
        for level in ("auto", "process"):
            Path(tmp, "backprop.toml").write_text(f'[grading]\nsandbox = "{level}"\n')
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                done = subprocess.run(["backprop", "check", path.name], cwd=tmp,
                                      capture_output=True, text=True)
                times.append(time.perf_counter() - start)
                assert done.returncode == 0, done.stdout + done.stderr
            print(f"backprop check {path.name} (sandbox {level}): median "
                  f"{statistics.median(times):.3f} s, fastest {min(times):.3f} s "
                  f"over {args.runs} runs")


if __name__ == "__main__":
    main()
