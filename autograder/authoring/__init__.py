"""Making the course's files from the reference solutions: instructors' tools, not in the
students' bundle.

* :mod:`~autograder.authoring.markers` — solution and hidden-test markers, stubs;
* :mod:`~autograder.authoring.notebooks` — an exercise as a notebook;
* :mod:`~autograder.authoring.build` — every generated file (``backprop build``);
* :mod:`~autograder.authoring.release` — the students' bundle (``backprop release``).
"""

from pathlib import Path

#: The course's checkout: ``solutions/``, ``exercises/``, ``course/`` and this package.
CHECKOUT = Path(__file__).resolve().parents[2]
