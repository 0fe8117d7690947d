"""nbgrader: a course directory of the exercises' notebooks (course), scores stored in its
gradebook (gradebook), and the test cells' side, run inside nbgrader's kernels (runtime)."""
