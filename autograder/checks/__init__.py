"""The kinds of check an exercise can declare, each a generic test of a function.

None of them knows anything about a particular exercise: what to compute comes
in as functions of the reference module.  Where each kind lives:

* :mod:`~autograder.checks.values` — :class:`Matches`, :class:`OneSided`, :class:`Stable`;
* :mod:`~autograder.checks.gradients` — :class:`Gradient`, :class:`ParamSlopes`,
  :class:`CentralDifference`;
* :mod:`~autograder.checks.behaviour` — :class:`Unmodified`, :class:`Raises`;
* :mod:`~autograder.checks.wrappers` — :class:`Rewired`, :class:`OwnCache`;
* :mod:`~autograder.checks.steps`, :mod:`~autograder.checks.draws`,
  :mod:`~autograder.checks.training` — optimizers, initializers, training loops;
* :mod:`~autograder.checks.base` and :mod:`~autograder.checks.feedback` — what they share.
"""
