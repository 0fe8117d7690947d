"""Making the course's files from the reference solutions: instructors' tools, not in the
students' bundle.

* :mod:`~autograder.authoring.markers` — solution and hidden-test markers, stubs;
* :mod:`~autograder.authoring.notebooks` — an exercise as a notebook;
* :mod:`~autograder.authoring.course_text` — the docstrings and comments of the code, and
  their translations (the gettext domain ``course``);
* :mod:`~autograder.authoring.catalogue` — the translation catalogues;
* :mod:`~autograder.authoring.build` — every generated file (``backprop build``);
* :mod:`~autograder.authoring.release` — the students' bundle (``backprop release``).

The files made here are in the language asked for — English for the generated files of the
checkout — whatever the language of the messages: what puts the exercises' declared texts
and the fixed hints into them runs :func:`in_language` (or :func:`in_english`). Only the
messages for the author (errors, ``backprop build``'s report) follow the author's language.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from autograder.i18n import DEFAULT, language, set_language

#: The course's checkout: ``solutions/``, ``exercises/``, ``course/`` and this package.
CHECKOUT = Path(__file__).resolve().parents[2]


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Within it, every text is in ``lang``; the language of the messages is restored after.
    Usable as a decorator: ``@in_language("zh")``."""
    previous = language()
    set_language(lang)
    try:
        yield
    finally:
        set_language(previous)


def in_english():
    """:func:`in_language` for English, the language of the checkout's generated files."""
    return in_language(DEFAULT)
