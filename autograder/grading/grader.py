"""Grading one submission, or a whole class in parallel, into :class:`Result` s.

For each submission a fresh sandboxed process is forked from a warm worker;
it gets the file and the calls of every part's checks in one message (see
:mod:`autograder.grading.calls`), loads the file once and answers the calls part
after part, while the grader judges the answers already in.  Each part has
its own time budget: an infinite loop in one function costs that function's
points, then a fresh process is loaded for the parts after it.
Whatever happens in the student's process — an exception, a crash, a time-out,
garbage for a result — becomes a 0 on the checks it broke, with a message.  What an
instructor should look at (a time-out, a limit, a crash, a file that could not be read or
loaded) is also recorded as data, when it happens: the :attr:`Result.incidents
<autograder.grading.results.Result.incidents>` the class report lists.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from autograder import exercises
from autograder.config import Config
from autograder.grading.calls import Batch, Replay, Replies, prepare
from autograder.grading.journal import engine_digest
from autograder.grading.keys import PlannedCheck, plan, public_keys_path
from autograder.grading.reference import load_reference
from autograder.grading.results import Cells, CheckResult, PartResult, Result, incident
from autograder.grading.submissions import Submission, UnreadableSubmission, read_cells
from autograder.i18n import _
from autograder.sandbox import messages, protocol
from autograder.sandbox.channel import Child, ChildLost
from autograder.sandbox.host import Limits, Zygote
from autograder.spec import CallFailed, Exercise, Reply, Request

#: The incident (see :attr:`Result.incidents <autograder.grading.results.Result.incidents>`)
#: that a failure the student's process reports stands for, by the failure's code
#: (:data:`autograder.sandbox.messages.MESSAGES`); other failures are no incident.
FAILURE_KINDS = {"exit": "crashed", "memory": "limit"}


class StudentProcess:
    """The sandboxed process of one submission, reloaded after a time-out or a crash.

    ``batches`` are the calls of the parts to grade, in order (see
    :mod:`autograder.grading.calls`): they go to the process with the file to load, in
    one message, and are answered part after part; a reloaded process gets
    those of the parts not judged yet.
    """

    def __init__(self, zygote: Zygote, limits: Limits, module: str, filename: str,
                 cells: list[str], batches: dict[str, Batch]) -> None:
        self.zygote, self.limits = zygote, limits
        self.load_message = protocol.encode(protocol.load(module, filename, cells))
        self.batches = batches
        self.judged: set[str] = set()
        self.replies: dict[str, Replies] = {}
        self.child: Child | None = None
        self.deadline = 0.0
        self.student_seconds = 0.0
        self.part: str | None = None  # the part being judged (whose live calls are made)
        self.incidents: list[dict] = []  # what happened, in order (see Result.incidents)

    def start(self) -> dict:
        """Fork, load the submission and send the calls of every part not judged yet;
        returns the load reply (raises ChildLost)."""
        self.child = self.zygote.spawn(self.limits)
        parts = [name for name in self.batches if name not in self.judged]
        self.child.send([self.load_message, *(self.batches[name].message for name in parts
                                              if self.batches[name].requests)],
                        self.limits.seconds_to_load)
        loaded = self.child.receive(self.limits.seconds_to_load)
        self.replies, before = {}, None
        for name in parts:
            before = self.replies[name] = Replies(len(self.batches[name].requests),
                                                  functools.partial(self._next_answer, name),
                                                  before)
        return loaded

    def ensure(self) -> None:
        if self.child is None or not self.child.alive:
            self.start()

    def __call__(self, fn: str, args: list, *, keep=None, pick=None) -> Reply:
        """Call ``fn`` in the sandbox now, in a round trip of its own, once the answers
        to what was sent before are in (see :class:`autograder.spec.Caller`)."""
        for replies in self.replies.values():
            replies.finish()
        self.child.send(Request(fn, args, keep, pick).message(),
                        max(0.01, self.deadline - time.monotonic()))
        answer = self._next_answer(self.part)
        if isinstance(answer, CallFailed):
            raise answer
        return answer

    def _next_answer(self, part: str | None) -> Reply | CallFailed:
        """The child's next reply (to a call of ``part``), within what is left of the
        part's time."""
        reply = self.child.receive(max(0.01, self.deadline - time.monotonic()),
                                   self.limits.seconds_per_part)
        if not reply["ok"]:
            failed = CallFailed(messages.failure(reply), reply.get("type"))
            kind = FAILURE_KINDS.get(reply.get("message"))
            if kind and not any((i["kind"], i["part"]) == (kind, part)
                                for i in self.incidents):  # once per part, not per call
                self.incident(kind, part, str(failed))
            return failed
        self.student_seconds += float(reply.get("seconds", 0.0))
        return Reply(reply["value"], list(reply.get("warnings", [])),
                     list(reply.get("mutated", [])))

    def incident(self, kind: str, part: str | None, message: str) -> None:
        """Record what happened (see :attr:`Result.incidents
        <autograder.grading.results.Result.incidents>`)."""
        self.incidents.append(incident(kind, part, message))

    def close(self) -> None:
        if self.child is not None:
            self.child.kill()


class Grader:
    """Grades submissions of the given exercises with one configuration.

    ``hidden=False`` runs only the public checks (what ``backprop check``
    does) and needs no reference solutions.  Making a grader loads the
    declarations and references, nothing more: the answer keys are computed
    when first needed (:attr:`plans`), and the sandbox's warm worker starts
    when grading starts (:meth:`grade_all`).
    """

    def __init__(self, config: Config, exercise_ids: Iterable[str], hidden: bool,
                 solutions: Path | None = None) -> None:
        self.config = config
        self.hidden = hidden
        self.limits = Limits(config.seconds_per_part, config.memory_mb)
        self.sandbox: str | None = None  # the isolation level of the last run
        self.exercises: dict[str, Exercise] = {i: exercises.load(i) for i in exercise_ids}
        self.references = {i: load_reference(i, solutions) if hidden else None
                           for i in self.exercises}

    @functools.cached_property
    def plans(self) -> dict[str, dict[str, list[PlannedCheck]]]:
        """Every check to run with its cases and answer keys, by exercise and part."""
        return {i: plan(ex, self.config.seed, self.references[i], self.hidden)
                for i, ex in self.exercises.items()}

    @functools.cached_property
    def batches(self) -> dict[str, dict[str, Batch]]:
        """The calls of every part, prepared once (see :mod:`autograder.grading.calls`)."""
        return {i: {part: prepare(checks) for part, checks in parts.items()}
                for i, parts in self.plans.items()}

    @functools.cached_property
    def engine(self) -> str:
        """The digest of the engine's code (:func:`autograder.grading.journal.engine_digest`),
        read once per grader, not once per submission."""
        return engine_digest()

    def setting(self, exercise_id: str) -> str:
        """Everything besides the file that a result depends on, as one string: the
        engine's code, the exercise's declaration, its public answer keys, its
        reference, seed, limits and sandbox."""
        sources = [Path(exercises.__file__).with_name(f"{exercise_id}.py"),
                   public_keys_path(exercise_id)]
        reference = self.references[exercise_id]
        if reference is not None:
            sources.append(Path(reference.__file__))
        return "\n".join([self.engine, *(p.read_text() for p in sources),
                          repr((self.config.seed, self.limits, self.config.sandbox))])

    def grade_all(self, submissions: list[Submission],
                  on_result: Callable[[Result], None] = lambda r: None) -> list[Result]:
        """Grade every submission, ``config.workers`` at a time; results in input order."""
        # The warm worker boots (imports NumPy) while the answer keys are computed.
        with Zygote(self.config.sandbox) as zygote, \
                ThreadPoolExecutor(max(1, self.config.workers)) as pool:
            self.batches  # noqa: B018 - computed here, while the worker boots
            self.sandbox = zygote.level
            futures = {pool.submit(self.grade, zygote, s): i for i, s in enumerate(submissions)}
            results: list[Result | None] = [None] * len(submissions)
            for future in as_completed(futures):
                result = future.result()
                results[futures[future]] = result
                on_result(result)
        return results

    def grade(self, zygote: Zygote, submission: Submission) -> Result:
        """Grade one submission file (never raises for anything the submission does)."""
        try:
            cells = read_cells(submission.path)
        except UnreadableSubmission as exc:
            exercise = self.exercises[submission.exercise]
            result = Result(submission.student, submission.exercise, str(submission.path), [],
                            notes=[str(exc)], incidents=[incident("unreadable", None, str(exc))])
            result.parts = [zero_part(p.name, self.plans[exercise.id][p.name], str(exc))
                            for p in exercise.parts]
            return result
        return self.grade_cells(zygote, submission.student, submission.exercise,
                                submission.path, cells)

    def grade_cells(self, zygote: Zygote, student: str, exercise_id: str, path: Path,
                    cells: list[str], parts: Iterable[str] | None = None) -> Result:
        """Grade code given as cells (run in order), as if read from ``path``.

        ``parts`` limits grading to some functions (a notebook's test cell
        grades one); by default every part is graded.
        """
        start = time.monotonic()
        exercise = self.exercises[exercise_id]
        result = Result(student, exercise_id, str(path), [])
        batches = {p.name: self.batches[exercise_id][p.name] for p in exercise.parts
                   if parts is None or p.name in parts}
        process = StudentProcess(zygote, self.limits, exercise.id, path.name, cells, batches)
        try:
            self._run(process, exercise, result)
        finally:
            process.close()
            result.incidents = process.incidents
        result.seconds = time.monotonic() - start
        result.student_seconds = process.student_seconds
        return result

    def _run(self, process: StudentProcess, exercise: Exercise, result: Result) -> None:
        parts = [p for p in exercise.parts if p.name in process.batches]
        try:
            loaded = process.start()
        except ChildLost as lost:
            message = _("Your file could not be loaded: it {reason}.").format(reason=lost.reason)
            process.incident(lost.kind, None, message)
            result.notes.append(message)
            result.parts = [zero_part(p.name, self.plans[exercise.id][p.name], message)
                            for p in parts]
            return
        problems = [load_problem(p) for p in loaded.get("problems", [])]
        for problem, text in zip(loaded.get("problems", []), problems):
            process.incident(load_kind(problem), None, text)
        result.notes += problems
        functions = set(loaded.get("functions", []))
        for part in parts:
            checks = self.plans[exercise.id][part.name]
            if part.name not in functions:
                why = _("No function named `{name}` was found in your file.").format(
                    name=part.name)
                if problems:
                    why += " " + " ".join(problems)
                result.parts.append(zero_part(part.name, checks, why))
                process.judged.add(part.name)
                continue
            result.parts.append(run_part(process, part.name, checks, self.limits))


def run_part(process: StudentProcess, name: str, checks: list[PlannedCheck],
             limits: Limits) -> PartResult:
    """Run a part's checks within its time budget; a lost process zeroes the rest."""
    batch = process.batches[name]
    outcomes = []
    lost: str | None = None
    process.part = name
    try:
        process.ensure()
    except ChildLost as exc:
        lost = _("Your file could not be reloaded: it {reason}.").format(reason=exc.reason)
        process.incident(exc.kind, name, lost)
    process.deadline = time.monotonic() + limits.seconds_per_part
    for planned, slots in zip(checks, batch.slots):
        check = planned.check
        if lost:
            outcomes.append(CheckResult(check.title, check.public, check.points, 0.0, lost))
            continue
        cells, lost = judge_check(process, name, planned, slots)
        outcomes.append(CheckResult(check.title, check.public, check.points,
                                    check.points * cells.share(), cells.message(),
                                    cells.lost()))
    process.judged.add(name)
    if not lost:
        try:  # answers no check needed (after an early failure), within this part's time
            process.replies[name].finish()
        except ChildLost:
            pass  # the next part reloads the file
    return PartResult(name, outcomes)


def judge_check(process: StudentProcess, name: str, planned: PlannedCheck,
                slots: list[list[int]]) -> tuple[Cells, str | None]:
    """Judge each case of one check of part ``name`` until each of its cells is settled;
    returns the cells and, if the student's process was lost, why."""
    check = planned.check
    kinds = [check.kind(inputs) for inputs in planned.cases]
    cells = Cells(list(dict.fromkeys(kinds)), check.outputs)
    for case, (inputs, key, positions) in enumerate(zip(planned.cases, planned.keys, slots)):
        if cells.settled(kinds[case]):
            continue
        try:
            caller = Replay(process.batches[name], process.replies[name], positions, process)
            verdict = check.judge(caller, inputs, key)
        except CallFailed as exc:
            verdict = str(exc)
        except ChildLost as exc:
            # Translators: {reason} says what the function's process did (see the reasons
            # a process is lost), {name} is the function.
            lost = _("`{name}` {reason}; its remaining checks were not run.").format(
                name=name, reason=exc.reason)
            process.incident(exc.kind, name, lost)
            for kind in kinds[case:]:
                cells.record(kind, lost)
            return cells, lost
        except Exception as exc:  # noqa: BLE001 - a result no check foresaw must not stop the batch
            verdict = _("This check could not make sense of the result ({type}: {problem}); "
                        "check the types and shapes you return.").format(
                type=type(exc).__name__, problem=exc)
        cells.record(kinds[case], verdict)  # outside the try: a bug of the check is ours
    return cells, None


def zero_part(name: str, checks: list[PlannedCheck], message: str) -> PartResult:
    return PartResult(name, [CheckResult(c.check.title, c.check.public, c.check.points, 0.0,
                                         message) for c in checks])


def load_kind(problem: dict) -> str:
    """The incident a problem met while loading stands for, from its codes: a file Python
    could not read, a limit or an exit while loading, or else an exception that stopped it."""
    if problem.get("error") == "syntax":
        return "unreadable"
    return FAILURE_KINDS.get(problem.get("message"), "did-not-load")


def load_problem(problem: dict) -> str:
    """A sentence about something that went wrong while the file was loading (a failure
    the student's process sent, :mod:`autograder.sandbox.messages`)."""
    what, where = messages.problem(problem), messages.place(problem)
    if problem.get("error") == "syntax":
        if where is None:
            return _("Python could not read your file: {problem}.").format(problem=what)
        # Translators: {where} is a place in the student's file ("losses.py, line 3").
        return _("Python could not read your file at {where}: {problem}.").format(
            where=where, problem=what)
    if where is None:
        return _("Loading your file stopped: {problem}; the code after that point did not "
                 "run.").format(problem=what)
    return _("Loading your file stopped at {where}: {problem}; the code after that point did "
             "not run.").format(where=where, problem=what)
