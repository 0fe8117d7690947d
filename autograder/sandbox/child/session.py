"""One submission inside its process: its code loaded as a module, its functions called
with plain arguments, its results sent back as plain data (:class:`Session`).

Everything here runs in the student's process, next to the student's code; the grader
trusts nothing it sends (see :mod:`autograder.sandbox.protocol`).  Nothing here writes a
sentence for a reader either: a failure is sent as a message code with its parameters,
and the grader writes it in the reader's language (the codes and their texts are
:data:`autograder.sandbox.messages.MESSAGES`).
"""

from __future__ import annotations

import io
import sys
import time
import traceback
import types
import warnings

import numpy as np

from autograder.sandbox import protocol
from autograder.sandbox.child import callables

MAX_TEXT = 2000  # characters of printed output and error text sent back per request


class CappedText(io.TextIOBase):
    """A text stream that keeps the first ``MAX_TEXT`` characters and counts the rest."""

    def __init__(self) -> None:
        self.head: list[str] = []
        self.kept = 0
        self.total = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        self.total += len(text)
        if self.kept < MAX_TEXT:
            piece = text[: MAX_TEXT - self.kept]
            self.head.append(piece)
            self.kept += len(piece)
        return len(text)

    def take(self) -> str:
        """The text kept since the last call, with a note of how much was cut."""
        text = "".join(self.head)
        if self.total > self.kept:
            text += f"\n… ({self.total - self.kept} more characters not shown)"
        self.head, self.kept, self.total = [], 0, 0
        return text


class StudentError(Exception):
    """A result that cannot be sent back: the code of the message meant for the student,
    and its parameters."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class Session:
    """One submission's namespace, the values kept between calls, and the output stream."""

    def __init__(self, out: CappedText) -> None:
        self.out = out
        self.module: types.ModuleType | None = None
        self.filename = "<submission>"
        self.cells: dict[str, int | None] = {}  # the cell each code label is, by label
        self.kept: dict[str, object] = {}

    def answer(self, request: dict):
        """The replies to one request, one by one: a ``calls`` request (a list of
        calls made in a row) gets one reply per call, each sent as soon as it is known."""
        if request.get("op") == "calls":
            for call in request["calls"]:
                yield self.handle(call)
        else:
            yield self.handle(request)

    def handle(self, request: dict) -> dict:
        op = request.get("op")
        if op == "load":
            return self.load(request["name"], request["filename"], request["cells"])
        if op == "call":
            return self.call(request["fn"], request.get("args", []), request.get("keep"),
                             request.get("pick"))
        return protocol.failed("internal", "unknown-request", {"op": repr(op)[:100]})

    # ---- load

    def load(self, name: str, filename: str, cells: list[str]) -> dict:
        """Run the submission's code cells in order in a fresh module called ``name``.

        A cell that fails is reported and the next one still runs, so every
        function defined before (or without) the failure can be graded.
        """
        self.filename = filename
        module = types.ModuleType(name)
        module.__file__ = filename
        sys.modules[name] = module
        self.module = module
        problems = []
        for number, source in enumerate(cells, start=1):
            cell = None if len(cells) == 1 else number
            label = filename if cell is None else f"{filename}, cell {number}"
            self.cells[label] = cell
            try:
                code = compile(source, label, "exec")
            except (SyntaxError, ValueError) as exc:
                problems.append(_syntax_problem(exc, filename, cell))
                continue
            try:
                exec(code, module.__dict__)
            except BaseException as exc:  # noqa: BLE001 - SystemExit and friends included
                problems.append(self._exception(exc, called=None))
        functions = sorted(k for k, v in vars(module).items()
                           if callable(v) and not isinstance(v, type) and not k.startswith("__"))
        return protocol.loaded(functions, problems, self.out.take())

    # ---- call

    def call(self, fn: str, args: list, keep: str | None, pick: int | None) -> dict:
        """Call ``fn(*args)``; report the plain result, warnings, mutations, output and time.

        ``keep`` names the result so that later calls can pass it back (a
        cache, say) without it ever leaving this process; ``pick`` sends back
        only item ``pick`` of a tuple result.
        """
        func = getattr(self.module, fn, None)
        if not callable(func):
            return protocol.failed("missing", "no-function", {"fn": fn})
        try:
            args = [self._resolve(a) for a in args]
        except (KeyError, AttributeError, IndexError, TypeError) as exc:
            return protocol.failed("missing", "argument", {"detail": _short(str(exc))})
        before = [_snapshot(a) for a in args]
        start = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"):
                    result = func(*args)
            except BaseException as exc:  # noqa: BLE001
                return self._exception(exc, called=fn)
        seconds = time.perf_counter() - start
        warned = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
        mutated = [i for i, (a, b) in enumerate(zip(before, args)) if not _same(a, b)]
        if keep is not None:
            self.kept[keep] = result
        try:
            if pick is not None:
                if not isinstance(result, (tuple, list)) or len(result) <= pick:
                    raise StudentError("tuple-too-short", fn=fn, count=str(pick + 1))
                result = result[pick]
            value = plain(result)
        except StudentError as exc:
            return protocol.failed("type", exc.code, exc.params, printed=self.out.take())
        return protocol.answered(value, warned[:10], mutated, seconds, self.out.take())

    def _resolve(self, arg):
        """Turn references into values: to an earlier result (:func:`protocol.kept`) or
        to a trusted function (:func:`protocol.function`)."""
        if isinstance(arg, dict) and protocol.KEPT in arg:
            value = self.kept[arg[protocol.KEPT]]
            return value if arg.get("item") is None else value[arg["item"]]
        if isinstance(arg, dict) and protocol.FUNCTION in arg:
            return callables.make(arg[protocol.FUNCTION], *arg.get("args", []))
        return arg

    def _exception(self, exc: BaseException, called: str | None) -> dict:
        """Describe an exception for the student: what happened (a code, see
        :data:`EXCEPTIONS`), while calling which function, and the line of their code."""
        kind = type(exc).__name__
        code = next((c for cls, c in EXCEPTIONS if isinstance(exc, cls)), "exception")
        params = {"type": kind, "detail": _short(str(exc))} if code in DETAILED else {}
        if called is not None:
            params["called"] = called
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if f.filename.startswith(self.filename)]
        where, cell, line = None, None, None
        if frames:
            label = frames[-1].filename
            where, cell = (self.filename, self.cells[label]) if label in self.cells \
                else (label, None)
            line = _line(frames[-1].lineno)
        return protocol.failed("exception", code, params, type=kind, where=where, cell=cell,
                               line=line, printed=self.out.take())


#: The exceptions that have a message of their own, by their code (the first that fits).
EXCEPTIONS = ((SystemExit, "exit"), (MemoryError, "memory"), (RecursionError, "recursion"),
              (NotImplementedError, "not-implemented"),
              (ModuleNotFoundError, "module-not-found"))
DETAILED = ("module-not-found", "exception")  # the codes that name the exception and its text


def _syntax_problem(exc: Exception, filename: str, cell: int | None) -> dict:
    kind = type(exc).__name__
    text = (getattr(exc, "text", None) or "").strip()
    params = {"type": kind, "detail": str(getattr(exc, "msg", exc))}
    if text:
        params["text"] = _short(text, 120)
    return protocol.failed("syntax", "syntax-quoted" if text else "syntax", params, type=kind,
                           where=filename, cell=cell,
                           line=_line(getattr(exc, "lineno", None)))


def _line(number) -> int | None:
    """A line number as sent: ``None`` for none (or one no file has)."""
    return number if type(number) is int and 0 < number < 2**31 else None


def _short(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[:limit] + " …"


def plain(value, depth: int = 0):
    """Convert a student's return value to plain data, or raise :class:`StudentError`.

    Numbers become floats; arrays of numbers or booleans become float64 arrays;
    tuples, lists and string-keyed dicts are converted item by item.  Anything
    else (None, objects, strings, complex numbers) is refused with the code of a message.
    """
    if depth > 4:
        raise StudentError("nested-too-deeply")
    if value is None:
        raise StudentError("returned-none")
    if isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise StudentError("array-dtype", dtype=str(value.dtype))
        return np.array(value, dtype=np.float64, subok=False)
    if isinstance(value, (tuple, list)):
        return {"__seq__": type(value).__name__, "items": [plain(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise StudentError("dict-keys")
        return {"__dict__": {k: plain(v, depth + 1) for k, v in value.items()}}
    raise StudentError("object-type", type=type(value).__name__)


def _snapshot(value):
    """What an argument holds, to tell afterwards whether a call changed it in place:
    an array's bytes, a container's items, a number or a string as it is (a container's
    item may be replaced); ``None`` for what is not tracked (a generator, a function)."""
    if value is None or isinstance(value, (int, float, complex, str, np.generic)):
        return ("value", value)
    if isinstance(value, np.ndarray):
        return ("array", value.dtype, value.shape, value.tobytes())
    if isinstance(value, dict):
        return ("dict", {k: _snapshot(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return ("items", len(value), [_snapshot(v) for v in value])
    return None


def _same(before, value) -> bool:
    """Whether ``value`` (the very object :func:`_snapshot` saw) still holds what it did."""
    if before is None or before[0] in ("value", "array"):
        return before == _snapshot(value)
    if before[0] == "dict":
        return before[1].keys() == value.keys() and all(
            _same(b, value[k]) for k, b in before[1].items())
    return before[1] == len(value) and all(_same(b, v) for b, v in zip(before[2], value))
