"""The exercises, one module each, every one declaring ``EXERCISE`` (an :class:`Exercise`).

Adding an exercise means adding ``solutions/<id>.py`` and a module here; the
engine finds it by name.
"""

from __future__ import annotations

import importlib
import pkgutil

from autograder.i18n import _
from autograder.spec import Exercise


class UnknownExercise(LookupError):
    """No exercise has this id; the message names the exercises there are.

    Deliberately not a :class:`KeyError`: the command line reports this one as a
    usage problem, and a KeyError from anywhere else as the bug it is.
    """


def ids() -> list[str]:
    """The ids of every exercise, in course order (each module's ``ORDER``)."""
    names = [m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    return sorted(names, key=lambda n: (importlib.import_module(f"{__name__}.{n}").ORDER, n))


def load(exercise_id: str) -> Exercise:
    """The declaration of one exercise; a clear error for an unknown id."""
    known = ids()
    if exercise_id not in known:
        raise UnknownExercise(_("there is no exercise {exercise}; the exercises are {known}")
                              .format(exercise=repr(exercise_id), known=", ".join(known)))
    return importlib.import_module(f"{__name__}.{exercise_id}").EXERCISE
