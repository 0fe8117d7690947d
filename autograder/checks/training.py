"""Checks of a training loop: it tames a run that would otherwise explode."""

from __future__ import annotations

import numpy as np

from autograder.checks.base import SingleCall, call_args
from autograder.i18n import N_, _
from autograder.numerics.diagnose import diagnosis
from autograder.spec import CallFailed


class Tamed(SingleCall):
    """The training loop keeps every loss finite and ends far below where it started
    (it judges the history, item 1 of the result)."""

    description = N_("keeps every loss finite and ends 10× below where it started")

    @property
    def outputs(self):
        return (self.returns[1],) if self.returns else ()

    def answer(self, ref, inputs):
        return {"final": float(getattr(ref, self.fn)(*call_args(inputs))[1][-1])}

    def judge(self, call, inputs, key):
        steps = inputs["steps"]
        # Translators: {network} in the messages below.
        network = _("the chapter's exploding network (what exploding_example() returns: 8 "
                    "linear layers, lr = {lr}, {steps} steps, max_norm = {max_norm}, and the "
                    "grader's own deep_linear_loss as loss_fn)").format(
            lr=inputs["lr"], steps=steps, max_norm=inputs["max_norm"])
        try:
            got = call(self.fn, call_args(inputs)).value
        except CallFailed as exc:
            return _("On {network}, {fn} failed: {error}.\nIf the gradients became inf or nan, "
                     "the run exploded: update with the clipped gradients that clip_grad_norm "
                     "returns.").format(network=network, fn=self.fn, error=exc)
        history = got[1] if isinstance(got, (tuple, list)) and len(got) == 2 else None
        if not isinstance(history, np.ndarray) or history.shape != (steps,):
            return _("On {network}, expected (params, history) with history an array of shape "
                     "({steps},).").format(network=network, steps=steps)
        start = ", ".join(f"{v:.3g}" for v in history[:5])
        bad = np.flatnonzero(~np.isfinite(history))
        if bad.size:
            return diagnosis("training-exploded", _(
                "On {network}, the loss became {loss} at step {step} (history: {start}, …): the "
                "gradients exploded. Clip them with clip_grad_norm(grads, max_norm) and update "
                "with the clipped gradients it returns.").format(
                network=network, loss=history[bad[0]], step=bad[0], start=start))
        if not history[-1] < history[0] / 10:
            return _("On {network}, the loss went from {first} to {last}; clipped gradient "
                     "descent brings it to {final}.").format(
                network=network, first=f"{history[0]:.4g}", last=f"{history[-1]:.4g}",
                final=f"{key['final']:.3g}")
        return None
