"""Grading inside Gradescope's container, one submission per run.

``python -m autograder.platforms.gradescope`` (which ``run_autograder``
calls) runs :func:`main`: it finds the student's file in
``<root>/submission`` leniently (:mod:`.locate`), grades it with the same
engine and settings as ``backprop grade``, in the strongest sandbox that
starts (:func:`_grade_file`), and writes ``<root>/results/results.json`` in
Gradescope's format (:mod:`.results`).  Whatever happens — no file, a
misnamed one, a file that does not run, a broken autograder — a
``results.json`` is written, with a score of 0 and an explanation when
nothing could be graded.  ``--self-test`` (which ``setup.sh`` runs) grades
the bundled reference solution instead.

The root is ``/autograder`` unless the environment variable
``AUTOGRADER_ROOT`` says otherwise, so the bundle runs anywhere (the tests
unpack it into a temporary folder).  Only the standard library is imported
at the top: the engine is imported when grading starts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from autograder.i18n import _, choose, set_language
from autograder.platforms.gradescope.bundle import CONFIG, MANIFEST
from autograder.platforms.gradescope.locate import SubmissionProblem, find_submission
from autograder.platforms.gradescope.results import (
    NOT_YOUR_FAULT,
    results_json,
    write_results,
    zero_json,
)

ROOT_VARIABLE = "AUTOGRADER_ROOT"
DEFAULT_ROOT = "/autograder"


def bundled_exercise(source: Path) -> str:
    """The exercise the unpacked bundle in ``source`` grades (from its manifest)."""
    return json.loads((source / MANIFEST).read_text())["exercise"]


def grade(root: Path, source: Path | None = None, submission: Path | None = None,
          log=print) -> dict:
    """Grade ``<root>/submission`` with the bundle in ``<root>/source``; the results as a dict.

    ``source`` and ``submission`` replace those folders (the self-test's);
    ``log`` receives the lines for the instructor (the hidden standard output).
    """
    start = time.monotonic()
    source = source or root / "source"
    submission = submission or root / "submission"
    exercise = bundled_exercise(source)
    _harden(source, root / "results")

    from autograder import exercises
    from autograder.config import Config, load_config
    from autograder.output.feedback import points

    declaration = exercises.load(exercise)
    config_file = source / CONFIG
    config = (load_config(config_file) if config_file.is_file() else Config()).override(workers=1)
    set_language(choose(None, config.lang))  # the course's lang, else the container's locale
    try:
        found = find_submission(submission, exercise, set(exercises.ids()) - {exercise})
    except SubmissionProblem as problem:
        log(_("{exercise}: nothing graded\n{problem}").format(exercise=exercise,
                                                              problem=problem))
        return zero_json(_("{file}: no file to grade").format(file=f"{exercise}.py"),
                         str(problem),
                         time.monotonic() - start, declaration.points,
                         {"exercise": exercise, "file": None, "max_score": declaration.points})
    try:
        result, level = _grade_file(config, source / "solutions", exercise, found.path, log)
    finally:
        found.cleanup()
    results = results_json(result, found, level, time.monotonic() - start)
    log(_("{exercise}: {file}: {score}/{max_score} (sandbox {level}, {seconds} s)").format(
        exercise=exercise, file=found.shown, score=points(result.score),
        max_score=points(result.max_score), level=level,
        seconds=f"{time.monotonic() - start:.1f}"))
    for part in result.parts:
        log(f"  {part.name:<24} {points(part.score)}/{points(part.max_score)}")
    return results


def _grade_file(config, solutions: Path, exercise: str, path: Path, log):
    """Grade one file in the strongest sandbox that starts here (never unconfined as root).

    With ``sandbox = "auto"``, each level from the best one available down is
    tried in turn (a container may forbid what the host allows), but the
    unconfined ``process`` level is skipped as root; with a level named in
    the settings, only that one.  Returns the result and the level it ran
    in; raises ``SandboxError`` naming every failure if none starts.
    """
    from autograder.grading.grader import Grader
    from autograder.grading.submissions import Submission
    from autograder.sandbox.channel import SandboxError
    from autograder.sandbox.host import LEVELS, resolve_level

    order = list(LEVELS)
    first = resolve_level(config.sandbox)
    levels = [first]
    if config.sandbox == "auto":  # the best level's self-test may still fail in a container
        levels = [level for level in order[order.index(first):]
                  if not (level == "process" and os.geteuid() == 0)]
    problems = []
    for level in levels:
        try:
            grader = Grader(config.override(sandbox=level), [exercise], hidden=True,
                            solutions=solutions)
            (result,) = grader.grade_all([Submission("submission", exercise, path)])
            return result, grader.sandbox
        except SandboxError as exc:
            log(_("sandbox {level} unavailable: {error}").format(level=level, error=exc))
            problems.append(str(exc))
    raise SandboxError(_("no sandbox could be started ({problems}). Running student code as "
                         'root without one is refused; set sandbox = "process" in '
                         "backprop.toml to allow it").format(problems="; ".join(problems)))


def _harden(source: Path, results: Path) -> None:
    """As root: the bundle (reference solution, seed) readable by root only; results root's.

    The sandboxed submission runs as ``nobody``; these modes keep it from
    reading the answers or writing a result of its own.
    """
    if os.geteuid() != 0:
        return
    os.chmod(source, 0o700)
    results.mkdir(parents=True, exist_ok=True)
    os.chown(results, 0, 0)
    os.chmod(results, 0o755)


def self_test(source: Path, log=print) -> bool:
    """Grade the bundled reference solution in a scratch root: full marks, or False."""
    exercise = bundled_exercise(source)
    with tempfile.TemporaryDirectory(prefix="backprop-self-test-") as scratch:
        submission = Path(scratch) / "submission"
        submission.mkdir()
        shutil.copy(source / "solutions" / f"{exercise}.py", submission / f"{exercise}.py")
        results = grade(Path(scratch), source=source, submission=submission, log=log)
    total = results["extra_data"].get("max_score")
    ok = results["score"] == total and all(t["status"] == "passed" for t in results["tests"])
    verdict = (_("self-test: the reference solution of {exercise} scored {score}/{total}")
               if ok else _("self-test: the reference solution of {exercise} scored "
                            "{score}/{total} — the autograder does not work in this image"))
    log(verdict.format(exercise=exercise, score=f"{results['score']:g}", total=f"{total:g}"))
    return ok


def main(argv: list[str] | None = None) -> int:
    """``python -m autograder.platforms.gradescope``: grade, and always write results.json.

    With ``--self-test``, grade the bundled reference solution instead: the
    exit status is 0 for full marks, else 1.
    """
    options = argparse.ArgumentParser(prog="python -m autograder.platforms.gradescope",
                                      description=_("Grade a Gradescope submission."))
    options.add_argument("--root", type=Path,
                         default=Path(os.environ.get(ROOT_VARIABLE) or DEFAULT_ROOT),
                         help=_("the autograder root (default: ${variable} or {root})").format(
                             variable=ROOT_VARIABLE, root=DEFAULT_ROOT))
    options.add_argument("--self-test", action="store_true",
                         help=_("grade the bundled reference solution (setup.sh does)"))
    args = options.parse_args(argv)
    if args.self_test:
        source = Path(__file__).resolve().parents[3]  # the unpacked zip: autograder/ is in it
        return 0 if self_test(source) else 1
    start = time.monotonic()
    try:
        results = grade(args.root)
    except BaseException as exc:  # noqa: BLE001 - whatever happens, Gradescope gets a result
        print(_("The autograder failed:"), flush=True)
        traceback.print_exc(file=sys.stdout)
        stopped = _("Your submission could not be graded: the autograder stopped "
                    "({error}).").format(error=type(exc).__name__)
        results = zero_json(_("The autograder failed"), f"{stopped} {_(NOT_YOUR_FAULT)}",
                            time.monotonic() - start, extra={"error": repr(exc)[:2000]})
    write_results(args.root / "results" / "results.json", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
