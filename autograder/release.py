"""The students' download: exercise files, public checks and ``backprop check``, nothing secret.

``backprop release --out DIR`` writes a folder that students can use as it is
(``python -m autograder.cli check activations.py`` from inside it) or install
with ``pip install DIR``.  It holds the grading engine (public code), the
exercise declarations with the public answer keys, and the student files of
``exercises/`` — never ``solutions/``, the sample class, or anything else of
the checkout.  Hidden checks cannot run from it: their answers come from the
reference solutions, and their inputs from the seed in the instructor's
``backprop.toml``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from autograder import __version__
from autograder.build import CHECKOUT

MARKER = ".backprop-release"
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

[tool.setuptools]
packages = ["autograder", "autograder.exercises"]

[tool.setuptools.package-data]
"autograder.exercises" = ["public/*.json", "public/*.md"]
"""
README = """# backprop course — student files

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
"""


class ReleaseError(ValueError):
    """The output folder cannot be used; the message says why."""


def release(out: Path, root: Path = CHECKOUT) -> list[Path]:
    """Write the students' bundle into ``out``; returns the files written."""
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise ReleaseError(f"{out} is not empty; give a new folder (or a previous bundle)")
    if out.exists():
        shutil.rmtree(out)
    package = root / "autograder"
    shutil.copytree(package, out / "autograder",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for student_file in sorted((root / "exercises").glob("*.*")):
        if student_file.suffix in (".py", ".ipynb"):
            (out / "exercises").mkdir(parents=True, exist_ok=True)
            shutil.copy(student_file, out / "exercises" / student_file.name)
    (out / "pyproject.toml").write_text(PYPROJECT)
    (out / "README.md").write_text(README)
    (out / MARKER).write_text("made by backprop release\n")
    return sorted(p for p in out.rglob("*") if p.is_file())
