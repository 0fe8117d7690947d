"""The markers in the reference solutions and test cells, and what is made by removing them.

A reference file (``solutions/<id>.py``) marks the code students must write::

    def sigmoid(x):
        # the docstring, hints
        ### BEGIN SOLUTION
        return 1 / (1 + np.exp(-x))
        ### END SOLUTION

:func:`stub` turns every such region into ``raise NotImplementedError``,
:func:`unmarked` drops the markers and keeps the code (a finished student
file); :func:`secret_lines` and :func:`telltale_lines` are the lines that must
never reach students.  A notebook's test cell marks its hidden checks with
``### BEGIN HIDDEN TESTS`` … ``### END HIDDEN TESTS``, which
:func:`without_hidden_tests` removes as nbgrader's ``ClearHiddenTests`` does.
Markers that do not pair up raise :class:`MarkerError`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from autograder.authoring import CHECKOUT, in_language
from autograder.i18n import DEFAULT, N_, _

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDDEN_BEGIN, HIDDEN_END = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
_DEF = re.compile(r"^\s*def (\w+)\(")


class MarkerError(ValueError):
    """Solution or hidden-test markers that do not pair up."""


def _regions(lines: list[str], begin: str, end: str, region: str,
             origin: str) -> Iterator[tuple[str, str]]:
    """``(where, line)`` for each of ``lines``: where is ``"begin"`` or ``"end"`` for a
    marker line, else ``"inside"`` or ``"outside"`` the regions between them.

    A region opened inside another, an end marker without a region and a
    region never closed raise :class:`MarkerError`, naming ``origin`` and the
    line (``region`` says what kind of region it is, marked with ``N_``).
    """
    inside = False
    for number, line in enumerate(lines, start=1):
        marker = line.strip()
        if marker == begin:
            if inside:
                raise MarkerError(_("{file}:{line}: {marker} inside another {region}").format(
                    file=origin, line=number, marker=begin, region=_(region)))
            inside = True
            yield "begin", line
        elif marker == end:
            if not inside:
                raise MarkerError(_("{file}:{line}: {marker} without a {begin}").format(
                    file=origin, line=number, marker=end, begin=begin))
            inside = False
            yield "end", line
        else:
            yield ("inside" if inside else "outside"), line
    if inside:
        raise MarkerError(_("{file}: a {marker} region is never closed").format(
            file=origin, marker=begin))


def stub(source: str, origin: str = "solution", lang: str = DEFAULT) -> str:
    """The student version of a reference file: each solution region becomes a raise, whose
    message (a hint for the student) is in ``lang``."""
    out: list[str] = []
    function = None
    lines = source.splitlines(keepends=True)
    for where, line in _regions(lines, BEGIN, END, N_("solution region"), origin):
        found = _DEF.match(line)
        if found:
            function = found.group(1)
        if where == "begin":
            indent = line[: len(line) - len(line.lstrip())]
            with in_language(lang):
                hint = _("{function}: your code here").format(
                    function=function or _("this function"))
            hint = hint.replace("\\", "/").replace('"', "'")  # a plain string literal
            out.append(f'{indent}raise NotImplementedError("{hint}")\n')
        elif where == "outside":
            out.append(line)
    return "".join(out)


def region_lines(source: str) -> set[int]:
    """The numbers of the lines of ``source`` in its solution regions, markers included:
    what a student never sees."""
    inside, found = False, set()
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip() == BEGIN:
            inside = True
        if inside:
            found.add(number)
        if line.strip() == END:
            inside = False
    return found


def without_hidden_tests(source: str, origin: str = "test cell") -> str:
    """``source`` without its hidden-test blocks, markers included, as nbgrader's
    ``ClearHiddenTests`` makes it; unpaired markers raise :class:`MarkerError`."""
    lines = source.splitlines()
    return "\n".join(line for where, line in
                     _regions(lines, HIDDEN_BEGIN, HIDDEN_END, N_("hidden-test region"),
                              origin)
                     if where == "outside")


def secret_lines(source: str) -> set[str]:
    """The lines of solution regions that appear nowhere else in the file, stripped.

    These must never reach students; a line the file also shows outside its
    regions (the stability stub's own training loop, say) is public anyway.
    """
    inside_lines, outside_lines, inside = set(), set(), False
    for line in source.splitlines():
        text = line.strip()
        if text in (BEGIN, END):
            inside = text == BEGIN
        elif text:
            (inside_lines if inside else outside_lines).add(text)
    return inside_lines - outside_lines


def telltale_lines(source: str) -> set[str]:
    """The secret lines that would give a solution away if they showed up elsewhere.

    Short lines (``else:``, ``return out``) and lines that public files also
    contain — the engine's own modules (``x = np.asarray(x, dtype=np.float64)``)
    and the student files' support code (the stability stub's training loop) —
    say nothing about a solution and are left out.
    """
    public = [*(CHECKOUT / "autograder").rglob("*.py"), *(CHECKOUT / "exercises").glob("*.py")]
    known = {line.strip() for path in public for line in path.read_text().splitlines()}
    return {line for line in secret_lines(source) if len(line) >= 16} - known


def unmarked(source: str) -> str:
    """The reference without its marker lines: what a student's finished file looks like."""
    return "".join(line for line in source.splitlines(keepends=True)
                   if line.strip() not in (BEGIN, END))


def replace_functions(base: str, own: str) -> str:
    """``base`` with each top-level function defined in ``own`` replaced by ``own``'s version.

    Functions of ``own`` that ``base`` lacks are appended; ``own``'s other
    top-level statements (imports, constants) go after ``base``'s imports.
    """
    base_lines = base.splitlines(keepends=True)
    own_lines = own.splitlines(keepends=True)
    base_defs = {n.name: n for n in ast.parse(base).body if isinstance(n, ast.FunctionDef)}
    replacements, extra, header = {}, [], []
    for node in ast.parse(own).body:
        text = "".join(own_lines[_first_line(node) - 1:node.end_lineno])
        if isinstance(node, ast.FunctionDef) and node.name in base_defs:
            replacements[node.name] = text
        elif isinstance(node, ast.FunctionDef):
            extra.append(text)
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            header.append(text)
    for name in sorted(replacements, key=lambda n: -base_defs[n].lineno):
        node = base_defs[name]
        base_lines[_first_line(node) - 1:node.end_lineno] = [replacements[name]]
    imports = [n for n in ast.parse(base).body if isinstance(n, (ast.Import, ast.ImportFrom))]
    at = imports[-1].end_lineno if imports else 0
    base_lines[at:at] = header
    text = "".join(base_lines)
    return text + "".join(f"\n\n{e}" for e in extra)


def _first_line(node: ast.stmt) -> int:
    """The number of a statement's first line: its first decorator's, if it has any."""
    decorators = getattr(node, "decorator_list", None)
    return decorators[0].lineno if decorators else node.lineno
