"""Checks of a training loop: it tames a run that would otherwise explode."""

from __future__ import annotations

import numpy as np

from autograder.checks.base import SingleCall, call_args
from autograder.spec import CallFailed


class Tamed(SingleCall):
    """The training loop keeps every loss finite and ends far below where it started
    (it judges the history, item 1 of the result)."""

    title = "keeps every loss finite and ends 10× below where it started"

    @property
    def outputs(self):
        return (self.returns[1],) if self.returns else ()

    def answer(self, ref, inputs):
        return {"final": float(getattr(ref, self.fn)(*call_args(inputs))[1][-1])}

    def judge(self, call, inputs, key):
        steps = inputs["steps"]
        on = ("On the chapter's exploding network (what exploding_example() returns: 8 linear "
              f"layers, lr = {inputs['lr']}, {steps} steps, max_norm = {inputs['max_norm']}, "
              "and the grader's own deep_linear_loss as loss_fn), ")
        try:
            got = call(self.fn, call_args(inputs)).value
        except CallFailed as exc:
            return (f"{on}{self.fn} failed: {exc}.\nIf the gradients became inf or nan, the run "
                    "exploded: update with the clipped gradients that clip_grad_norm returns.")
        history = got[1] if isinstance(got, (tuple, list)) and len(got) == 2 else None
        if not isinstance(history, np.ndarray) or history.shape != (steps,):
            return f"{on}expected (params, history) with history an array of shape ({steps},)."
        start = ", ".join(f"{v:.3g}" for v in history[:5])
        bad = np.flatnonzero(~np.isfinite(history))
        if bad.size:
            return (f"{on}the loss became {history[bad[0]]} at step {bad[0]} (history: {start}, "
                    "…): the gradients exploded. Clip them with clip_grad_norm(grads, max_norm) "
                    "and update with the clipped gradients it returns.")
        if not history[-1] < history[0] / 10:
            return (f"{on}the loss went from {history[0]:.4g} to {history[-1]:.4g}; clipped "
                    f"gradient descent brings it to {key['final']:.3g}.")
        return None
