"""What a student reads about one failed case: its inputs, the worst element, the mistake."""

from __future__ import annotations

import numpy as np

from autograder.i18n import _, ngettext
from autograder.sandbox import protocol
from autograder.sandbox.child import callables
from autograder.spec import Inputs, naming


def inputs_text(inputs: Inputs) -> str:
    """The inputs of a case in a line or two, as a student would write them."""
    return ", ".join(f"{name} = {_value_text(v)}" for name, v in inputs.items())


def _value_text(value) -> str:
    if isinstance(value, dict) and protocol.FUNCTION in value:  # a trusted function passed in
        return callables.text_of(value)
    if isinstance(value, list) and value and all(
            isinstance(v, (tuple, list)) and len(v) == 2 for v in value):  # micro-batches
        sizes = [str(len(x)) for x, _y in value]
        listed = _("{sizes} and {last}").format(sizes=", ".join(sizes[:-1]), last=sizes[-1]) \
            if len(sizes) > 1 else sizes[0]
        return ngettext("{count} pair (X, y) of {sizes} examples",
                        "{count} pairs (X, y) of {sizes} examples",
                        len(value)).format(count=len(value), sizes=listed)
    if isinstance(value, np.ndarray):
        if value.size <= 12:
            return np.array2string(value, precision=4, separator=", ", suppress_small=True)\
                .replace("\n", "")
        return _("<array of shape {shape}, values from {low} to {high}>").format(
            shape=value.shape, low=f"{value.min():.3g}", high=f"{value.max():.3g}")
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_value_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)) and len(value) > 6:
        return _("<{type} of {count} items>").format(type=type(value).__name__,
                                                       count=len(value))
    return repr(value)


def explain(inputs: Inputs, found, diagnosis: str | None, intro: str = "") -> str:
    """Feedback for one failed case: the input, the worst element, the likely mistake;
    after ``intro``, a sentence or two (translated already) about how the case is run.
    It names the mistake its diagnosis names (see :class:`autograder.spec.Named`)."""
    on = _("On {inputs}:").format(inputs=inputs_text(inputs))
    sentence = found.sentence()
    if found.component != "result" and " " in found.component:   # a phrase, already marked up
        # Translators: {output} is a phrase such as "The gradient of `W`".
        sentence = _("{output}: {problem}").format(output=found.component, problem=sentence)
    elif found.component != "result":
        # Translators: {output} names an item of the result ("dx", "grads['W1']").
        sentence = _("`{output}`: {problem}").format(output=found.component, problem=sentence)
    lines = [f"{intro} {on}" if intro else on, sentence]
    if diagnosis:
        lines.append(diagnosis)
    return naming("\n".join(lines), diagnosis)


def named(found, name: str, index: int | None):
    """``found`` (a mismatch of item ``index`` of a tuple result) named after that item,
    its path starting at the item, for diagnoses that pick from whole results."""
    if index is not None:
        found.component = name + ("" if found.component == "result" else found.component)
        found.path = (index, *found.path)
    return found
