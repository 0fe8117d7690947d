"""The students' download: exercise files, public checks and ``backprop check``, nothing secret.

``backprop release --out DIR`` writes a folder that students can use as it is
(``python -m autograder.cli check activations.py`` from inside it) or install
with ``pip install DIR``.  It holds the grading engine (public code), the
exercise declarations with the public answer keys, and the student files —
those of ``exercises/``, or with ``--lang zh`` the same with Chinese docstrings,
comments and hints (and a ``backprop.toml`` asking for Chinese feedback) — never
``solutions/``, the sample class, or anything else of the checkout.  The code
that computes answer keys (central differences in ``gradcheck``, the exercises'
mistake models and forward functions) is withheld: its bodies become a ``raise``,
since the bundle only reads the stored public keys.  So are whole folders students
never need (:data:`WITHHELD_FOLDERS`).  Hidden checks cannot run from it: their
answers come from the reference solutions, and their inputs from the seed in the
instructor's ``backprop.toml``.
"""

from __future__ import annotations

import ast
import functools
import shutil
from pathlib import Path

from autograder import __version__, exercises
from autograder.authoring import CHECKOUT, in_language
from autograder.authoring.build import student_files
from autograder.i18n import DEFAULT, N_, _

MARKER = ".backprop-release"
#: Folders of the package students never need: making course files and running
#: other platforms (``backprop check`` imports neither).
WITHHELD_FOLDERS = ("authoring", "platforms")
PYPROJECT = f"""[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "backprop-course-student"
version = "{__version__}"
description = "The backprop course's exercise files and `backprop check`, for students."
requires-python = ">=3.11"
dependencies = ["numpy>=1.26", "rich>=13", "nbformat>=5.9"]

[project.scripts]
backprop = "autograder.cli:main"

[tool.setuptools.packages.find]
include = ["autograder*"]

[tool.setuptools.package-data]
"autograder.exercises" = ["public/*.json", "public/*.md"]
"""
README = N_("""# backprop course — student files

The exercise files are in `exercises/`. Implement one function at a time and
check your work:

```sh
pip install .                       # once; or run from this folder without installing:
backprop check exercises/activations.py    # python -m autograder.cli check exercises/activations.py
```

Copy an exercise file anywhere you like, but keep its name (`activations.py`,
or `activations.ipynb`): the name tells `backprop check` which exercise it is.
Submit the file itself. Hidden checks with other inputs run when your work is
graded.
""")
#: The bundle's settings in another language than English: the feedback in that language
#: when ``backprop check`` runs from the bundle's folder.
SETTINGS = 'lang = "{lang}"  # the language of the messages and the feedback: en or zh\n'


#: What an answer-side function does in the bundle, where it is never called.
WITHHELD = 'raise NotImplementedError("computes answers: not in the students\' bundle")'


def withhold(source: str, names: set[str] | None = None) -> str:
    """``source`` with the bodies of its top-level functions (all, or ``names`` and the
    module-level functions only they use) replaced by a raise; docstrings stay."""
    tree = ast.parse(source)
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    chosen = set(functions) if names is None else _with_helpers(tree, functions, names)
    # A factory called while the module loads (to build mistake models) must still
    # return a function: one that raises when it is called.
    def calls(node) -> set[str]:
        """The module's functions that ``node`` calls by name."""
        return {n.func.id for n in ast.walk(node)
                if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)} & set(functions)

    at_import = set().union(*(calls(n) for n in tree.body
                              if not isinstance(n, (ast.FunctionDef, ast.ClassDef))))
    while more := set().union(*(calls(functions[n]) for n in at_import)) - at_import:
        at_import |= more
    lines = source.splitlines(keepends=True)
    for name in sorted(chosen, key=lambda n: -functions[n].lineno):
        node = functions[name]
        body = node.body[1:] if ast.get_docstring(node) else node.body
        if not body:
            continue
        indent = " " * body[0].col_offset
        stub = [f"{indent}{WITHHELD}\n"]
        if name in at_import:
            stub = [f"{indent}def withheld(*args, **kwargs):\n", f"{indent}    {WITHHELD}\n",
                    f"{indent}return withheld\n"]
        lines[body[0].lineno - 1:node.end_lineno] = stub
    return "".join(lines)


def _with_helpers(tree: ast.Module, functions: dict, names: set[str]) -> set[str]:
    """``names`` plus the module's functions that only withheld functions refer to."""
    def used(node) -> set[str]:
        """The module's functions that ``node`` names."""
        return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)} & set(functions)

    chosen = set(names) & set(functions)
    while True:
        outside = set().union(*(used(n) for n in tree.body
                                if not (isinstance(n, ast.FunctionDef) and n.name in chosen)))
        more = set().union(*(used(functions[n]) for n in chosen)) - outside - chosen
        if not more:
            return chosen
        chosen |= more


def answer_side(exercise) -> set[str]:
    """The names of an exercise module's functions that only compute answer keys:
    its mistake models and the forward functions of its gradient checks."""
    found = set()
    for part in exercise.parts:
        for check in part.checks:
            for fn in [*getattr(check, "mistakes", {}).values(), getattr(check, "forward", None)]:
                while isinstance(fn, functools.partial):
                    fn = fn.func
                # a closure made by a module-level factory is withheld through its factory
                top = getattr(fn, "__qualname__", "<lambda>").split(".")[0]
                if callable(fn) and top != "<lambda>":
                    found.add(top)
    return found


class ReleaseError(ValueError):
    """The output folder cannot be used; the message says why."""


def release(out: Path, root: Path = CHECKOUT, lang: str = DEFAULT) -> list[Path]:
    """Write the students' bundle into ``out``, its exercise files' docstrings, comments
    and hints and its README in ``lang``; returns the files written."""

    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise ReleaseError(_("{folder} is not empty; give a new folder (or a previous "
                             "bundle)").format(folder=out))
    if out.exists():
        shutil.rmtree(out)
    package = root / "autograder"
    shutil.copytree(package, out / "autograder",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for folder in WITHHELD_FOLDERS:
        shutil.rmtree(out / "autograder" / folder)
    # Answer keys ship precomputed; the code that computes them stays home.
    gradcheck = out / "autograder" / "numerics" / "gradcheck.py"
    gradcheck.write_text(withhold(gradcheck.read_text()))
    for exercise_id in exercises.ids():
        module = out / "autograder" / "exercises" / f"{exercise_id}.py"
        module.write_text(withhold(module.read_text(),
                                   answer_side(exercises.load(exercise_id))))
    (out / "exercises").mkdir(parents=True, exist_ok=True)
    for name, text in student_files(root, lang).items():
        (out / "exercises" / name).write_text(text)
    (out / "pyproject.toml").write_text(PYPROJECT)
    with in_language(lang):
        (out / "README.md").write_text(_(README))
    if lang != DEFAULT:
        (out / "backprop.toml").write_text(SETTINGS.format(lang=lang))
    (out / MARKER).write_text("made by backprop release\n")
    return sorted(p for p in out.rglob("*") if p.is_file())
