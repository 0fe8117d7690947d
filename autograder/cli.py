"""The ``backprop`` command: ``check`` for students, ``grade`` for instructors, ``build``.

Thin on purpose: parse the arguments, call the engine, print or write its results.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from autograder import exercises, reporting
from autograder.config import ConfigError, load_config
from autograder.grading.grader import Grader
from autograder.grading.journal import DEFAULT as DEFAULT_JOURNAL
from autograder.grading.journal import Journal, fingerprint
from autograder.grading.reference import NoReference
from autograder.grading.submissions import Submission, exercise_of, find_submissions
from autograder.i18n import LANGUAGES, _, choose, language, set_language
from autograder.output import report
from autograder.sandbox.channel import SandboxError
from autograder.sandbox.host import LEVELS, resolve_level


class UsageError(Exception):
    """A command line that cannot work; the message says what to type instead."""


class Parser(argparse.ArgumentParser):
    """argparse, with a suggestion when a command is misspelt."""

    def error(self, message: str):
        if "invalid choice" in message and self.prog == "backprop":
            word = message.split("'")[1] if "'" in message else ""
            commands = next(a.choices for a in self._actions
                            if isinstance(a, argparse._SubParsersAction))
            close = difflib.get_close_matches(word, list(commands), n=1)
            if close:
                message += "\n  " + _("did you mean: backprop {command} …?").format(
                    command=close[0])
        super().error(message)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # argparse's help and errors come before any settings file is read: in the language of
    # --lang, else the locale's. Each command then settles the language (use_language).
    set_language(choose(lang_option(argv), None))
    args = parser().parse_args(argv)
    try:
        return args.run(args, Console())
    except (UsageError, ConfigError, NoReference, SandboxError, exercises.UnknownExercise,
            FileNotFoundError) as exc:
        text = exc.args[0] if exc.args else str(exc)
        Console(stderr=True).print(f"backprop {args.command}: {text}", style="red",
                                   markup=False, highlight=False, soft_wrap=True)
        return 2


def lang_option(argv: list[str]) -> str | None:
    """The language ``--lang`` asks for in ``argv``, if it names one (argparse reports a
    wrong one)."""
    for index, arg in enumerate(argv):
        value = arg.removeprefix("--lang=") if arg.startswith("--lang=") else (
            argv[index + 1] if arg == "--lang" and index + 1 < len(argv) else None)
        if value is not None:
            return value if value in LANGUAGES else None
    return None


def configured_language(path: Path | None = None) -> str | None:
    """``lang`` of the settings file, for a command that reads nothing else of it (whose
    other settings, right or wrong, are not its business)."""
    try:
        return load_config(path).lang
    except ConfigError:
        return None


def use_language(option: str | None, configured: str | None) -> None:
    """Print every message from now on in the language of ``--lang``, else of ``lang`` in
    ``backprop.toml``, else of the locale (see :func:`autograder.i18n.choose`)."""
    set_language(choose(option, configured))


def add_lang(command: argparse.ArgumentParser, help: str | None = None) -> None:
    command.add_argument("--lang", choices=LANGUAGES,
                         help=help or _("the language of the messages (default: lang in "
                                        "backprop.toml, else the locale's)"))


def parser() -> argparse.ArgumentParser:
    top = Parser(prog="backprop",
                 description=_("Check and grade the backprop course's exercises."))
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                  parser_class=argparse.ArgumentParser)

    check = commands.add_parser(
        "check", help=_("check one exercise file against the public checks (for students)"),
        description=_("Run the public checks on one exercise file. The file's name says which "
                      "exercise it is (activations.py, losses.py, …). Exit status 0 only when "
                      "every public check passes."))
    check.add_argument("file", type=Path, help=_("your exercise file, e.g. activations.py"))
    check.add_argument("--json", action="store_true", help=_("print the result as JSON"))
    add_lang(check)
    check.set_defaults(run=run_check)

    grade = commands.add_parser(
        "grade", help=_("grade a class folder (for instructors)"),
        description=_("Grade every submission under DIR, laid out as DIR/<student>/<exercise>.py "
                      "(or .ipynb, or nbgrader's DIR/<student>/<exercise>/<exercise>.ipynb), "
                      "with the public and the hidden checks."))
    grade.add_argument("folder", type=Path, metavar="DIR", help=_("the class folder"))
    grade.add_argument("--exercise", action="append", metavar="ID",
                       help=_("grade only this exercise (repeatable)"))
    grade.add_argument("--workers", type=int, metavar="N",
                       help=_("submissions graded at once (default: the number of cores)"))
    grade.add_argument("--out", type=Path, metavar="FILE.csv", help=_("write the grade sheet"))
    grade.add_argument("--json", type=Path, metavar="FILE.jsonl",
                       help=_("write one JSON record per student and exercise"))
    grade.add_argument("--feedback", type=Path, metavar="DIR",
                       help=_("write DIR/<student>/<exercise>.md for every submission"))
    grade.add_argument("--seed", type=int, help=_("seed of the hidden random cases"))
    grade.add_argument("--sandbox", choices=["auto", *LEVELS],
                       help=_("isolation of the submissions (default: auto, the strongest "
                              "this machine allows)"))
    grade.add_argument("--journal", type=Path, metavar="FILE", default=DEFAULT_JOURNAL,
                       help=_("where each result is recorded as soon as it is known, so that "
                              "an interrupted run resumes (default: %(default)s)"))
    grade.add_argument("--fresh", action="store_true",
                       help=_("ignore the journal's results and grade everything again"))
    grade.add_argument("--config", type=Path, metavar="FILE",
                       help=_("settings file (default: ./backprop.toml if present)"))
    grade.add_argument("--solutions", type=Path, metavar="DIR",
                       help=_("folder of the reference solutions (default: the checkout's)"))
    grade.add_argument("--gradebook", metavar="DB",
                       help=_("also store the scores in this nbgrader gradebook (a gradebook.db "
                              "path, a course folder or a database URL): the exercise is the "
                              "assignment, each function's test_<function> cell gets its "
                              "score"))
    reporting.add_report_option(grade)
    add_lang(grade)
    grade.set_defaults(run=run_grade)

    course = commands.add_parser(
        "nbgrader", help=_("set up the course for nbgrader (for instructors)"),
        description=_("Use the course with nbgrader."))
    actions = course.add_subparsers(dest="action", required=True, metavar="ACTION",
                                    parser_class=argparse.ArgumentParser)
    setup = actions.add_parser(
        "init", help=_("create an nbgrader course directory with every exercise's notebook"),
        description=_("Create the nbgrader course directory DIR: nbgrader_config.py, "
                      "backprop.toml (the grading settings both routes share) and "
                      "source/<exercise>/<exercise>.ipynb for every exercise, generated from "
                      "the reference solutions and the exercises' checks."))
    setup.add_argument("folder", type=Path, metavar="DIR", help=_("the course directory"))
    setup.add_argument("--course-id", default="backprop", metavar="ID",
                       help=_("nbgrader's course id (default: %(default)s)"))
    setup.add_argument("--solutions", type=Path, metavar="DIR",
                       help=_("folder of the reference solutions the test cells use "
                              "(default: the checkout's)"))
    setup.add_argument("--force", action="store_true",
                       help=_("overwrite files of DIR that differ from what would be written"))
    add_lang(setup, _("the language of the notebooks' text, docstrings and comments, of the "
                      "feedback (lang in DIR/backprop.toml) and of the messages (default: "
                      "lang in backprop.toml, else the locale's)"))
    setup.set_defaults(run=run_nbgrader_init)

    bundle = commands.add_parser(
        "release", help=_("write the students' download (exercise files and backprop check)"),
        description=_("Write the students' bundle into DIR: the exercise files, the public "
                      "checks and `backprop check`, installable with pip or usable as it is. "
                      "It holds no reference solution and no hidden case."))
    bundle.add_argument("--out", type=Path, metavar="DIR", required=True,
                        help=_("a new (or previously released) folder"))
    add_lang(bundle, _("the language of the exercise files' docstrings, comments and hints, "
                       "of the feedback and of the messages (default: lang in backprop.toml, "
                       "else the locale's)"))
    bundle.set_defaults(run=run_release)

    gradescope = commands.add_parser(
        "gradescope", help=_("build a Gradescope autograder zip (for instructors)"),
        description=_("Write the zip to upload as a Gradescope assignment's autograder: "
                      "setup.sh, run_autograder, the grading engine, the exercise's reference "
                      "solution and the grading settings (./backprop.toml, or --config). Each "
                      "submission is then graded in its own container, as backprop grade "
                      "would grade it."))
    gradescope.add_argument("exercise", nargs="?", metavar="EXERCISE",
                            help=_("the exercise id, e.g. activations"))
    gradescope.add_argument("--all", action="store_true",
                            help=_("one zip per exercise, DIR/<exercise>.zip"))
    gradescope.add_argument("-o", "--out", type=Path, metavar="FILE.zip|DIR",
                            help=_("where to write (default: gradescope-EXERCISE.zip; with "
                                   "--all, the folder gradescope)"))
    gradescope.add_argument("--config", type=Path, metavar="FILE",
                            help=_("settings file to ship (default: ./backprop.toml if "
                                   "present)"))
    gradescope.add_argument("--solutions", type=Path, metavar="DIR",
                            help=_("folder of the reference solutions (default: the "
                                   "checkout's)"))
    gradescope.add_argument("--wheels", action="store_true",
                            help=_("download the wheels of NumPy, rich and nbformat with pip "
                                   "into the zip, so that setup.sh needs no package index"))
    add_lang(gradescope, _("the language of the feedback, written as lang into the zip's "
                           "backprop.toml, and of the messages (default: the shipped "
                           "backprop.toml's lang, else the locale's)"))
    gradescope.set_defaults(run=run_gradescope)

    reporting.add_commands(commands)
    rebuild = commands.add_parser(
        "build", help=_("regenerate the student files and answer keys from solutions/"),
        description=_("Regenerate exercises/, the public answer keys and the sample class from "
                      "the reference solutions of this checkout."))
    rebuild.add_argument("--check", action="store_true",
                         help=_("write nothing; exit 1 if a generated file is out of date"))
    rebuild.set_defaults(run=run_build)
    return top


def run_check(args, console: Console) -> int:
    config = load_config()
    use_language(args.lang, config.lang)
    path: Path = args.file
    if path.is_dir():
        raise UsageError(_("{folder} is a folder; give one exercise file, e.g. backprop check "
                           "{example} (to grade a class folder: backprop grade {folder})").format(
            folder=path, example=path / "activations.py"))
    if not path.is_file():
        raise UsageError(_("there is no file {file}").format(file=path))
    exercise = known_exercise(exercise_of(path), path)
    grader = Grader(config.override(workers=1), [exercise], hidden=False)
    (result,) = grader.grade_all([Submission(path.stem, exercise, path)])
    if args.json:
        print(json.dumps(report.as_json(result), indent=1))
    else:
        report.print_check(result, console)
    passed = all(c.score == c.points for p in result.parts for c in p.checks)
    return 0 if passed else 1


def known_exercise(name: str, path: Path) -> str:
    """``name`` if it is an exercise id, else a UsageError that suggests the right file name."""
    ids = exercises.ids()
    if name in ids:
        return name
    close = difflib.get_close_matches(name.lower(), ids, n=1, cutoff=0.5)
    if close:
        message = _("{file} is not named after an exercise — rename it {suggestion}. The file "
                    "must be called <exercise>.py or .ipynb, one of: {exercises}")
    else:
        message = _("{file} is not named after an exercise. The file must be called "
                    "<exercise>.py or .ipynb, one of: {exercises}")
    raise UsageError(message.format(
        file=path.name, exercises=", ".join(ids),
        suggestion=path.with_name(close[0] + path.suffix) if close else ""))


def run_grade(args, console: Console) -> int:
    config = load_config(args.config)
    use_language(args.lang, config.lang)
    if args.folder.is_file():
        raise UsageError(_("{file} is a file; grade takes the class folder "
                           "(DIR/<student>/<exercise>.py). To check one file: "
                           "backprop check {file}").format(file=args.folder))
    if args.workers is not None and args.workers < 1:
        raise UsageError(_("--workers takes a whole number ≥ 1, e.g. --workers 2"))
    config = config.override(workers=args.workers, seed=args.seed, sandbox=args.sandbox)
    wanted = {known_exercise(e, Path(e + ".py")) for e in args.exercise} if args.exercise \
        else None
    submissions, notes = find_submissions(args.folder, set(exercises.ids()), wanted)
    errors = Console(stderr=True)
    for note in notes:
        errors.print(note, style="yellow", markup=False, highlight=False)
    if not submissions:
        raise UsageError(_("no submissions found in {folder}; the layout is "
                           "{folder}/<student>/<exercise>.py (or .ipynb)").format(
            folder=args.folder))
    grader = Grader(config, sorted({s.exercise for s in submissions}), hidden=True,
                    solutions=args.solutions)
    results = grade_resumably(grader, submissions, Journal(args.journal), args.fresh, errors)
    report.print_summary(results, console)
    if args.out:
        report.write_csv(results, args.out)
    if args.json:
        report.write_jsonl(results, args.json)
    if args.feedback:
        report.write_feedback(results, args.feedback)
    if args.report:
        reporting.write_grade_report(results, args.report, str(args.folder), console)
    if args.gradebook:
        store_in_gradebook(results, args.gradebook, console)
    console.print(_("Sandbox: {level} — {description}").format(
        level=grader.sandbox, description=_(LEVELS[grader.sandbox])), highlight=False)
    console.print(graded_summary(results, [str(p) for p in (args.out, args.json, args.feedback)
                                           if p]))
    return 0


def graded_summary(results: list, written: list[str]) -> str:
    """The last line of ``backprop grade``: what was graded, and the files written."""
    counts = {"submissions": len(results), "students": len({r.student for r in results})}
    if written:
        return _("Graded {submissions} submissions of {students} students; wrote "
                 "{files}").format(**counts, files=", ".join(written))
    return _("Graded {submissions} submissions of {students} students").format(**counts)


def grade_resumably(grader: Grader, submissions: list[Submission], journal: Journal,
                    fresh: bool, errors: Console) -> list:
    """Grade what the journal does not hold yet, recording each result as it comes."""
    # A result's texts are in the language it was graded in: reuse it only in that language.
    keys = {(s.student, s.exercise): fingerprint(
                s, f"{grader.setting(s.exercise)}\nlanguage {language()}")
            for s in submissions}
    done = {} if fresh else journal.load()
    for problem in journal.problems:
        errors.print(problem, style="yellow", markup=False, highlight=False)
    known = {(s.student, s.exercise): done.get((s.student, s.exercise, keys[s.student,
                                                                          s.exercise]))
             for s in submissions}
    todo = [s for s in submissions if known[s.student, s.exercise] is None]
    if len(todo) < len(submissions):
        errors.print(_("Resuming: {count} results are already in {journal} (use --fresh to "
                       "grade everything again)").format(count=len(submissions) - len(todo),
                                                         journal=journal.path),
                     highlight=False)

    def record(result) -> None:
        journal.record(result, keys[result.student, result.exercise])
        known[result.student, result.exercise] = result
        progress.advance(task)

    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=errors,
                  transient=True) as progress:
        task = progress.add_task(_("grading"), total=len(todo))
        if todo:
            grader.grade_all(todo, record)
    if grader.sandbox is None:  # nothing was graded: say which level would have been used
        grader.sandbox = resolve_level(grader.config.sandbox)
    return [known[s.student, s.exercise] for s in submissions]


def instructors_only(module: str):
    """``autograder.<module>``, which the students' bundle does not hold (see
    :data:`autograder.authoring.release.WITHHELD_FOLDERS`)."""
    try:
        return importlib.import_module(f"autograder.{module}")
    except ModuleNotFoundError as exc:
        if not (exc.name or "").startswith("autograder."):
            raise  # a missing dependency (nbgrader, say) is no bundle's fault: say it as it is
        raise UsageError(_("this command is for instructors: it needs the course's checkout, "
                           "not the students' bundle")) from None


def run_release(args, console: Console) -> int:
    use_language(args.lang, configured_language())
    release = instructors_only("authoring.release")
    try:
        files = release.release(args.out, lang=language())
    except release.ReleaseError as exc:
        raise UsageError(str(exc)) from None
    console.print(_("wrote {count} files to {folder}; students run: pip install {folder} && "
                    "backprop check exercises/activations.py").format(count=len(files),
                                                                      folder=args.out),
                  highlight=False)
    return 0


def run_gradescope(args, console: Console) -> int:
    use_language(args.lang, configured_language(args.config))
    gradescope = instructors_only("platforms.gradescope.bundle")

    if args.all == bool(args.exercise):
        raise UsageError(_("give one EXERCISE or --all, e.g. backprop gradescope activations "
                           "-o autograder.zip, or backprop gradescope --all -o gradescope"))
    wanted = exercises.ids() if args.all else [args.exercise]
    out = args.out or Path("gradescope" if args.all else f"gradescope-{args.exercise}.zip")
    try:
        for exercise in wanted:
            bundle = gradescope.build(exercise, out / f"{exercise}.zip" if args.all else out,
                                      args.config, args.solutions, args.wheels, args.lang)
            console.print(_("wrote {zip}: the autograder of {exercise} ({points} points)").format(
                zip=bundle.path, exercise=exercise, points=f"{bundle.max_score:g}"),
                highlight=False)
    except gradescope.BuildError as exc:
        raise UsageError(str(exc)) from None
    console.print(_("Upload it as the autograder of a Gradescope programming assignment "
                    "(see the instructors' page, section Gradescope)."), highlight=False)
    return 0


def store_in_gradebook(results: list, where: str, console: Console) -> None:
    course = instructors_only("platforms.nbgrader.gradebook")
    try:
        count = course.write_gradebook(results, where)
    except course.CourseError as exc:
        raise UsageError(str(exc)) from None
    console.print(_("Stored {count} scores in the gradebook {gradebook}").format(
        count=count, gradebook=where), highlight=False)


def run_nbgrader_init(args, console: Console) -> int:
    use_language(args.lang, configured_language())
    course = instructors_only("platforms.nbgrader.course")
    try:
        written = course.init(args.folder, args.course_id, args.solutions, args.force,
                              language())
    except course.CourseError as exc:
        raise UsageError(str(exc)) from None
    for path in written:
        console.print(_("wrote {file}").format(file=path), highlight=False)
    console.print(_("{folder} is ready. In it: nbgrader generate_assignment <exercise>; "
                    "collect submissions into submitted/<student>/<exercise>/; then nbgrader "
                    "autograde <exercise>, or backprop grade submitted --gradebook "
                    "gradebook.db").format(folder=args.folder), highlight=False)
    return 0


def run_build(args, console: Console) -> int:
    use_language(None, configured_language())
    build = instructors_only("authoring.build")
    root = build.CHECKOUT
    if args.check:
        stale = build.why_stale(root)
        for path, why in stale.items():
            console.print(_("out of date: {file}: {reason}").format(
                file=path.relative_to(root), reason=why), markup=False, highlight=False,
                soft_wrap=True)
        if stale:
            console.print(_("run `backprop build` to regenerate them"))
        return 1 if stale else 0
    for path in build.write(root):
        console.print(_("wrote {file}").format(file=path.relative_to(root)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
