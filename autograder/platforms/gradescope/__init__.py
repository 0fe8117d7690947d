"""The Gradescope autograder: the course's grading, one submission per container.

* :mod:`.bundle` builds the zip Gradescope asks for (``backprop gradescope``,
  on the instructor's machine), with ``templates/setup.sh`` and
  ``templates/run_autograder`` at its root.
* :mod:`.run` grades a submission inside the container
  (``python -m autograder.platforms.gradescope``, which ``run_autograder``
  calls; :mod:`.__main__`), with :mod:`.locate` to find the student's file
  and :mod:`.results` to write ``results.json``.
"""
