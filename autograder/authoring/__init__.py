"""Making the course's files from the reference solutions: instructors' tools, not in the
students' bundle.

* :mod:`~autograder.authoring.markers` — solution and hidden-test markers, stubs;
* :mod:`~autograder.authoring.notebooks` — an exercise as a notebook;
* :mod:`~autograder.authoring.build` — every generated file (``backprop build``);
* :mod:`~autograder.authoring.release` — the students' bundle (``backprop release``).

The files made here are in English whatever the language of the messages (their Chinese
versions are made separately): what puts the exercises' declared texts into them runs
:func:`in_english`. Only the messages for the author (errors, ``backprop build``'s report)
are translated.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from autograder.i18n import DEFAULT, language, set_language

#: The course's checkout: ``solutions/``, ``exercises/``, ``course/`` and this package.
CHECKOUT = Path(__file__).resolve().parents[2]


@contextmanager
def in_english() -> Iterator[None]:
    """Within it, every text is in English (the language of the generated files); the
    language of the messages is restored after. Usable as a decorator: ``@in_english()``."""
    previous = language()
    set_language(DEFAULT)
    try:
        yield
    finally:
        set_language(previous)
