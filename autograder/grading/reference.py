"""Loading the reference solutions — trusted code, run only in the grader's process.

The references live in a ``solutions/`` folder (a source checkout of the
course has one next to the ``autograder`` package).  They are loaded by file
path, never put on ``sys.path``, so a submission's process cannot import them.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from autograder.i18n import _

CHECKOUT_SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions"


class NoReference(LookupError):
    """The reference solution of an exercise is not available here."""


def solutions_dir(directory: Path | None = None) -> Path | None:
    """The folder of reference solutions: the one given, else the checkout's, if present."""
    for candidate in (directory, CHECKOUT_SOLUTIONS):
        if candidate is not None and candidate.is_dir():
            return candidate
    return None


def load_reference(exercise: str, directory: Path | None = None) -> ModuleType:
    """The reference module ``solutions/<exercise>.py``, loaded by path (cached)."""
    folder = solutions_dir(directory)
    path = folder / f"{exercise}.py" if folder else None
    if path is None or not path.is_file():
        raise NoReference(_(
            "the reference solution of {exercise} is not here (looked for "
            "solutions/{file}); hidden checks need it — grade from a checkout of the course, "
            "or pass --solutions DIR").format(exercise=repr(exercise), file=f"{exercise}.py"))
    name = f"_backprop_reference_{exercise}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[name] = module
    return sys.modules[name]
