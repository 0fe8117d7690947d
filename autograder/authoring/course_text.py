"""The course's prose inside Python code — docstrings and comments — in every language.

Students read the reference solutions' docstrings, hints and comments in their exercise
files and notebooks, and the site's pages show sections of the course's scripts. That text
is written in English in the code; its translations are a gettext catalogue of its own, the
domain ``course`` (``autograder/locale/course.pot``, ``<lang>/LC_MESSAGES/course.po`` and
``.mo``, written by ``backprop build`` with the ``backprop`` domain's, see
:mod:`autograder.authoring.catalogue`). The code itself is never translated.

What counts as a text, found with :mod:`tokenize` (:func:`texts`):

* a docstring (of the module, a class or a function), whole, as :func:`inspect.cleandoc`
  gives it; its translation is put back with the docstring's indentation and quotes;
* a block of comments, each alone on its line, on consecutive lines at the same column:
  the lines' texts after ``# ``, joined with newlines (lines without a letter at either
  end, like ``# -----``, stay out of it); its translation may have other lines, each put
  back as a comment at that column;
* a comment after code, alone; its translation starts where the ``#`` was.

Comments that are no prose stay as they are: the markers (``### BEGIN SOLUTION``,
``# --8<-- [start:name]``), pragmas (``# noqa: E731``, a shebang, a coding line), a Python
value (``# True``, ``# (100,)``) and text without a word (``# [0.5 0.25]``).

Which texts the catalogue holds (:data:`SOURCES`): of ``solutions/<id>.py``, what the
student file shows — everything outside the solution regions; of the files whose sections
the pages include (``course/code/*.py``, ``autograder/exercises/*.py``), what is inside
a ``# --8<-- [start:name]`` … ``[end:name]`` section.
"""

from __future__ import annotations

import ast
import gettext
import inspect
import io
import re
import tokenize
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from autograder.authoring import CHECKOUT
from autograder.authoring.markers import BEGIN, END, region_lines
from autograder.i18n import DEFAULT, LOCALE_DIR

DOMAIN = "course"
#: ``(folder, which texts)`` of the checkout: ``"student"`` — outside the solution regions;
#: ``"sections"`` — inside the snippet sections the site's pages include.
SOURCES = (("solutions", "student"), ("course/code", "sections"),
           ("autograder/exercises", "sections"))
#: A snippet section's marker, as pymdownx.snippets reads it.
SECTION = re.compile(r"-+8<-+[ \t]+\[[ \t]*(start|end)[ \t]*:[ \t]*([a-z][-_0-9a-z]*)[ \t]*\]",
                     re.I)
_MARKERS = (BEGIN, END, "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")
_PRAGMA = re.compile(r"^(noqa\b|type:|pragma:|fmt:|ruff:|pyright:|mypy:|!|-\*-|vim?:)")
_WORD = re.compile(r"[A-Za-z]{2,}|[\u3400-\u9fff]")  # a word: English, or Chinese


@dataclass(frozen=True)
class Text:
    """One text of a source: its message (the catalogue's key), where it is and what it is."""

    kind: str  # "docstring", "block" (comments alone on their lines) or "comment" (after code)
    message: str
    first: int  # its first and last line, from 1
    last: int
    start: tuple[int, int]  # (line, column) where its tokens start and end
    end: tuple[int, int]
    token: str  # a docstring's literal as written; a block's indentation


def is_marker(comment: str) -> bool:
    """Whether a comment token is a marker of a solution region, hidden tests or a section."""
    return comment.strip() in _MARKERS or bool(SECTION.search(comment))


def _comment_text(comment: str) -> str:
    """A comment's text: after its ``#`` and one space, without trailing space."""
    text = comment[1:]
    return (text[1:] if text.startswith(" ") else text).rstrip()


def is_prose(text: str) -> bool:
    """Whether a comment's text is prose to translate: a word, no pragma, no Python value."""
    if not _WORD.search(text) or _PRAGMA.match(text.strip()):
        return False
    try:
        ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return True
    return False


def _docstring_starts(source: str) -> set[tuple[int, int]]:
    """``(line, column)`` of every docstring's literal (module, classes, functions)."""
    lines = source.splitlines()
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                row, offset = first.value.lineno, first.value.col_offset  # offset in bytes
                found.add((row, len(lines[row - 1].encode()[:offset].decode())))
    return found


def texts(source: str) -> list[Text]:
    """Every text of a Python source, in order (see the module's documentation)."""
    docstrings = _docstring_starts(source)
    found, run = [], []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING and token.start in docstrings:
            message = inspect.cleandoc(ast.literal_eval(token.string))
            found.append(Text("docstring", message, token.start[0], token.end[0], token.start,
                              token.end, token.string))
        elif token.type == tokenize.COMMENT and token.line[:token.start[1]].strip():
            text = _comment_text(token.string)
            if not is_marker(token.string) and is_prose(text):
                found.append(Text("comment", text, token.start[0], token.start[0],
                                  token.start, token.end, ""))
        elif token.type == tokenize.COMMENT:
            if run and not (run[-1].start[0] + 1 == token.start[0]
                            and run[-1].start[1] == token.start[1]
                            and not is_marker(token.string) and not is_marker(run[-1].string)):
                found += _block(run)
                run = []
            run.append(token)
    found += _block(run)
    return sorted(found, key=lambda t: t.start)


def _block(run: list[tokenize.TokenInfo]) -> list[Text]:
    """The text of comments alone on consecutive lines (none when it is no prose)."""
    lines = [] if not run or is_marker(run[0].string) else [_comment_text(t.string) for t in run]
    first, last = 0, len(lines)
    while first < last and not _WORD.search(lines[first]):
        first += 1
    while last > first and not _WORD.search(lines[last - 1]):
        last -= 1
    message = "\n".join(lines[first:last])
    if not message or not is_prose(message):
        return []
    start, end = run[first], run[last - 1]
    return [Text("block", message, start.start[0], end.start[0], start.start, end.end,
                 start.line[:start.start[1]])]


def section_lines(source: str) -> set[int]:
    """The numbers of the lines inside the snippet sections of ``source``, markers excluded."""
    inside, lines = set(), set()
    for number, line in enumerate(source.splitlines(), start=1):
        found = SECTION.search(line)
        if found:
            (inside.add if found.group(1).lower() == "start" else inside.discard)(found.group(2))
        elif inside:
            lines.add(number)
    return lines


def messages(source: str, which: str) -> list[str]:
    """The messages of the texts of ``source`` that the catalogue holds: ``which`` is
    ``"student"`` (outside solution regions) or ``"sections"`` (inside snippet sections)."""
    if which == "student":
        hidden = region_lines(source)
        return [t.message for t in texts(source) if t.first not in hidden]
    shown = section_lines(source)
    return [t.message for t in texts(source) if t.first in shown]


def sources(root: Path = CHECKOUT) -> Iterator[tuple[Path, str]]:
    """``(file, which texts)`` of every source of the catalogue, in a fixed order."""
    for folder, which in SOURCES:
        for path in sorted((root / folder).glob("*.py")):
            if not path.name.startswith("_"):
                yield path, which


def extract(root: Path = CHECKOUT) -> dict[str, list[str]]:
    """Every message of the catalogue, with the files it comes from (relative to ``root``)."""
    found: dict[str, list[str]] = {}
    for path, which in sources(root):
        for message in messages(path.read_text(), which):
            where = found.setdefault(message, [])
            if path.relative_to(root).as_posix() not in where:
                where.append(path.relative_to(root).as_posix())
    return found


# --------------------------------------------------------------------------- translating

def translations(lang: str, locale_dir: Path = LOCALE_DIR) -> Callable[[str], str | None]:
    """The translation of a message into ``lang`` by the compiled catalogue, ``None`` when it
    has none (always for English, the language of the code)."""
    if lang == DEFAULT:
        return lambda message: None
    try:
        catalog = gettext.translation(DOMAIN, locale_dir, languages=[lang])
    except FileNotFoundError:
        raise RuntimeError(f"the {lang} catalogue {locale_dir}/{lang}/LC_MESSAGES/{DOMAIN}.mo "
                           "is missing: run `backprop build` in the checkout") from None

    def lookup(message: str) -> str | None:
        translation = catalog.gettext(message)
        return translation if translation != message else None

    return lookup


def translate_source(source: str, lang: str, *,
                     catalogue: Mapping[str, str] | None = None) -> str:
    """``source`` with its docstrings and comments in ``lang``: every code token as it was,
    a text without translation left in English. ``catalogue`` replaces the compiled one."""
    if lang == DEFAULT and catalogue is None:
        return source
    lookup = translations(lang) if catalogue is None else catalogue.get
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(position: tuple[int, int]) -> int:
        return starts[position[0] - 1] + position[1]

    out = source
    for text in reversed(texts(source)):
        translation = lookup(text.message)
        if translation and translation != text.message:
            out = (out[:offset(text.start)] + _rendered(text, translation)
                   + out[offset(text.end):])
    return out


def _rendered(text: Text, translation: str) -> str:
    """What replaces a text's tokens: its translation as a comment or a docstring literal."""
    if text.kind == "comment":
        return ("# " + " ".join(translation.split("\n"))).rstrip()
    if text.kind == "block":
        return ("\n" + text.token).join(("# " + line).rstrip() for line in translation.split("\n"))
    return docstring_literal(text.token, translation)


def docstring_literal(literal: str, translation: str) -> str:
    """The docstring ``literal`` (as written) with ``translation`` in its place: the same
    prefix, quotes, indentation and line breaks around the text, which is escaped so that
    :func:`inspect.cleandoc` of its value gives ``translation`` back."""
    prefix = literal[:len(literal) - len(literal.lstrip("rRuU"))]
    quote = literal[len(prefix):len(prefix) + 3]
    if quote not in ('"""', "'''"):
        quote = quote[0] * (3 if "\n" in translation else 1)
    value = ast.literal_eval(literal)
    lines = value.expandtabs().split("\n")
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    indent = " " * min(indents, default=0)
    lead = "\n" + indent if lines[0].strip() == "" and len(lines) > 1 else ""
    tail = "\n" + lines[-1] if len(lines) > 1 and not lines[-1].strip() else ""
    first, *rest = translation.split("\n")
    body = lead + first + "".join("\n" + (indent + line if line else "") for line in rest)
    if "r" not in prefix.lower():
        body = body.replace("\\", "\\\\")
    q = quote[0]
    if len(quote) == 1:
        body = body.replace(q, "\\" + q)
    else:  # no three quotes in a row, and none just before the closing ones
        body = body.replace(q * 3, q * 2 + "\\" + q)
        if not tail and body.endswith(q):
            body = body[:-1] + "\\" + q
    return prefix + quote + body + tail + quote
