"""One submission inside its process: its code loaded as a module, its functions called
with plain arguments, its results sent back as plain data (:class:`Session`).

Everything here runs in the student's process, next to the student's code; the grader
trusts nothing it sends (see :mod:`autograder.sandbox.protocol`).
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
    """A result that cannot be sent back, with a message meant for the student."""


class Session:
    """One submission's namespace, the values kept between calls, and the output stream."""

    def __init__(self, out: CappedText) -> None:
        self.out = out
        self.module: types.ModuleType | None = None
        self.filename = "<submission>"
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
        return protocol.failed("internal", f"unknown request {op!r}")

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
            label = filename if len(cells) == 1 else f"{filename}, cell {number}"
            try:
                code = compile(source, label, "exec")
            except (SyntaxError, ValueError) as exc:
                problems.append(_syntax_problem(exc, label))
                continue
            try:
                exec(code, module.__dict__)
            except BaseException as exc:  # noqa: BLE001 - SystemExit and friends included
                problems.append(self._exception(exc, when=""))
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
            return protocol.failed("missing", f"no function named {fn}")
        try:
            args = [self._resolve(a) for a in args]
        except (KeyError, AttributeError, IndexError, TypeError) as exc:
            return protocol.failed("missing", "an argument could not be built: no earlier "
                                   f"result or function {exc}")
        before = [_snapshot(a) for a in args]
        start = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"):
                    result = func(*args)
            except BaseException as exc:  # noqa: BLE001
                return self._exception(exc, when=f"when {fn} was called")
        seconds = time.perf_counter() - start
        warned = sorted({f"{w.category.__name__}: {w.message}" for w in caught})
        mutated = [i for i, (a, b) in enumerate(zip(before, args)) if not _same(a, b)]
        if keep is not None:
            self.kept[keep] = result
        try:
            if pick is not None:
                if not isinstance(result, (tuple, list)) or len(result) <= pick:
                    raise StudentError(f"expected {fn} to return a tuple of at least "
                                       f"{pick + 1} items")
                result = result[pick]
            value = plain(result)
        except StudentError as exc:
            return protocol.failed("type", str(exc), printed=self.out.take())
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

    def _exception(self, exc: BaseException, when: str) -> dict:
        """Describe an exception for the student: what happened, and the line of their code."""
        kind = type(exc).__name__
        if isinstance(exc, SystemExit):
            what = "your code called exit(); a graded file must not end the process"
        elif isinstance(exc, MemoryError):
            what = "ran out of memory (the memory limit was reached)"
        elif isinstance(exc, RecursionError):
            what = "infinite or too deep recursion"
        elif isinstance(exc, NotImplementedError):
            what = "not implemented yet (it raises NotImplementedError)"
        elif isinstance(exc, ModuleNotFoundError):
            what = (f"{kind}: {_short(str(exc))} (a graded file runs on its own: it may import "
                    "NumPy and the standard library, not your other files; copy what you "
                    "need into it)")
        else:
            what = f"{kind}: {_short(str(exc))}"
        frames = [f for f in traceback.extract_tb(exc.__traceback__)
                  if f.filename.startswith(self.filename)]
        where = f"{frames[-1].filename}, line {frames[-1].lineno}" if frames else None
        return protocol.failed("exception", f"{what} {when}".strip(), type=kind, where=where,
                               printed=self.out.take())


def _syntax_problem(exc: Exception, label: str) -> dict:
    line = getattr(exc, "lineno", None)
    text = (getattr(exc, "text", None) or "").strip()
    message = f"{type(exc).__name__}: {getattr(exc, 'msg', exc)}"
    if text:
        message += f" — `{_short(text, 120)}`"
    return protocol.failed("syntax", message, type=type(exc).__name__,
                           where=f"{label}, line {line}" if line else label)


def _short(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[:limit] + " …"


def plain(value, depth: int = 0):
    """Convert a student's return value to plain data, or raise :class:`StudentError`.

    Numbers become floats; arrays of numbers or booleans become float64 arrays;
    tuples, lists and string-keyed dicts are converted item by item.  Anything
    else (None, objects, strings, complex numbers) is refused with a message.
    """
    if depth > 4:
        raise StudentError("the result is nested too deeply")
    if value is None:
        raise StudentError("returned None — is a `return` statement missing?")
    if isinstance(value, (bool, int, float, np.bool_, np.integer, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biuf":
            raise StudentError(f"returned an array of dtype {value.dtype}; expected numbers")
        return np.array(value, dtype=np.float64, subok=False)
    if isinstance(value, (tuple, list)):
        return {"__seq__": type(value).__name__, "items": [plain(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise StudentError("returned a dict whose keys are not all strings")
        return {"__dict__": {k: plain(v, depth + 1) for k, v in value.items()}}
    raise StudentError(f"returned an object of type {type(value).__name__}; "
                       "expected a NumPy array or a number")


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
