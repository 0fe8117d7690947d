"""backprop-course: the grading engine and the ``backprop`` command."""

__version__ = "0.1.0"
