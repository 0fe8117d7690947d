"""Chapter 4: the exploding run, as a student can reproduce it from exercises/stability.py.

The student file ships the public support code of the stability exercise:
``exploding_example`` (an 8-layer linear network with weights that amplify by
about 1.5 per layer) and ``train_unclipped`` (full-batch gradient descent without
clipping). Plain gradient descent overflows within four steps; the clipped loop
of the exercise (the reference's, used here only to check the page's claim)
brings the loss below 0.2.
"""

import importlib.util
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --8<-- [start:run]
stability = load(ROOT / "exercises" / "stability.py", "stability")  # your file
X, y, params, loss_fn, lr, steps, max_norm = stability.exploding_example()

loss, grads = loss_fn(X, y, params)
norms = {k: float(np.linalg.norm(g)) for k, g in grads.items()}
print("gradient norm per layer:", {k: round(n) for k, n in norms.items()})
total = np.sqrt(sum(n**2 for n in norms.values()))
print("global gradient norm:", round(total))

_, history = stability.train_unclipped(X, y, params, loss_fn, lr, steps)
print("unclipped losses:", history[:5])
# --8<-- [end:run]


def check():
    assert X.shape == (64, 8) and y.shape == (64, 8) and len(params) == 8
    assert (lr, steps, max_norm) == (0.03, 100, 5.0)
    # the numbers quoted in the chapter: 63 → 2.4e4 → 3.4e44 → inf, then nan
    assert round(history[0]) == 63
    assert 2.4e4 < history[1] < 2.5e4
    assert f"{history[1]:.2e}" == "2.43e+04" and f"{history[2]:.2e}" == "3.43e+44"
    assert np.isinf(history[3]) and np.all(np.isnan(history[4:]))
    norms = {k: float(np.linalg.norm(g)) for k, g in grads.items()}
    assert round(norms["W1"]) == 106 and round(norms["W6"]) == 310 and round(norms["W8"]) == 72
    assert min(norms.values()) == norms["W8"] and max(norms.values()) == norms["W6"]
    assert round(float(np.sqrt(sum(n**2 for n in norms.values())))) == 557
    # the fix: the same run with global-norm clipping to 5 (the exercise's train_clipped)
    reference = load(ROOT / "solutions" / "stability.py", "_stability_reference")
    _, clipped = reference.train_clipped(X, y, params, loss_fn, lr, steps, max_norm)
    assert np.all(np.isfinite(clipped)) and clipped[-1] < 0.2
    assert round(clipped[1]) == 23 and round(clipped[50], 2) == 0.49
    # the first unclipped step is longer than all the weights together
    step = lr * np.sqrt(sum(n**2 for n in norms.values()))
    weights = np.sqrt(sum(np.sum(w**2) for w in params.values()))
    assert round(step, 1) == 16.7 and 11 < weights < 13 and step > weights
    # with clipping, the norm exceeds max_norm for 44 steps, and never after step 54
    current, total = dict(params), []
    for _step in range(steps):
        _, g = loss_fn(X, y, current)
        g, norm = reference.clip_grad_norm(g, max_norm)
        total.append(norm)
        current = {k: current[k] - lr * g[k] for k in current}
    total = np.array(total)
    assert np.all(total[:44] > max_norm) and np.all(total[54:] < max_norm)
    above = total[43:55] > max_norm   # in between, it crosses max_norm back and forth
    assert np.sum(above[1:] != above[:-1]) >= 3
    # a smaller learning rate: 0.003 still explodes; 0.001 is stable but slower
    _, lr3 = stability.train_unclipped(X, y, params, loss_fn, 0.003, steps)
    _, lr1 = stability.train_unclipped(X, y, params, loss_fn, 0.001, steps)
    assert not np.all(np.isfinite(lr3))
    assert round(lr1[-1], 2) == 0.55 and round(clipped[-1], 2) == 0.16


if __name__ == "__main__":
    check()
    print("ok")
