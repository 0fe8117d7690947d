"""Chapter 3: gradient-checking a whole network, and what the error says about the bug.

``check_gradients`` compares the gradients returned by a ``loss_and_grads(params)``
function with central differences: a few sampled entries of every parameter
array (to say *where* a gradient is wrong) and a few random directions through
all parameters at once (to catch a wrong entry that was not sampled). It only
needs the loss and the gradient dict, so it works on any ``mlp_loss``.

``check()`` runs it on the reference ``mlp_loss`` and on copies of it with a
typical bug planted in the gradient, and asserts the errors the chapter quotes.
"""

import numpy as np

from autograder.grading.reference import load_reference
from autograder.numerics.gradcheck import directional_derivative, random_directions, relative_error


# --8<-- [start:harness]
def check_gradients(loss_and_grads, params, rng, entries=4, directions=3):
    """Worst relative error per parameter array; "all": random directions."""
    _, grads = loss_and_grads(params)
    loss = lambda **p: loss_and_grads(p)[0]          # noqa: E731
    report = {}
    for key, value in params.items():
        if grads[key].shape != value.shape:
            raise ValueError(f"{key}: gradient of shape {grads[key].shape}")
        worst = 0.0
        count = min(entries, value.size)
        picks = rng.choice(value.size, size=count, replace=False)
        for flat in picks:
            unit = np.zeros(value.shape)
            unit.flat[flat] = 1.0                  # perturb this one entry only
            numeric = directional_derivative(loss, params, {key: unit})
            worst = max(worst, relative_error(grads[key].flat[flat], numeric))
        report[key] = worst
    shapes = {key: value.shape for key, value in params.items()}
    report["all"] = max(
        relative_error(sum(np.sum(grads[k] * v[k]) for k in v),
                       directional_derivative(loss, params, v))
        for v in random_directions(shapes, directions, rng))
    return report
# --8<-- [end:harness]


# --8<-- [start:usage]
def small_problem(seed=0):
    """Four examples, 3 inputs, 5 hidden tanh units, 3 classes."""
    rng = np.random.default_rng(seed=seed)
    x, y = rng.normal(size=(4, 3)), np.array([0, 2, 1, 2])
    params = {"W1": rng.normal(size=(3, 5)), "b1": rng.normal(size=5),
              "W2": rng.normal(size=(5, 3)), "b2": rng.normal(size=3)}
    return x, y, params, rng


def run(mlp_loss):
    x, y, params, rng = small_problem()
    def loss_and_grads(p):
        return mlp_loss(x, y, p, activation="tanh")     # tanh: no kinks

    return check_gradients(loss_and_grads, params, rng)
# --8<-- [end:usage]


def planted(bug):
    """The reference mlp_loss with one typical mistake in its gradients."""
    reference = load_reference("backprop").mlp_loss

    def buggy(x, y, params, activation="relu"):
        loss, grads = reference(x, y, params, activation)
        grads = dict(grads)
        if bug == "sign of dW1":
            grads["W1"] = -grads["W1"]
        elif bug == "db2 averaged":
            grads["b2"] = grads["b2"] / len(x)
        elif bug == "dW2 transposed":
            grads["W2"] = grads["W2"].T
        elif bug == "dW2 times 2":
            grads["W2"] = 2 * grads["W2"]
        return loss, grads

    return buggy


def check():
    good = run(load_reference("backprop").mlp_loss)
    assert max(good.values()) < 1e-8, good
    flipped = run(planted("sign of dW1"))
    assert abs(flipped["W1"] - 1.0) < 1e-6 and flipped["W2"] < 1e-7
    averaged = run(planted("db2 averaged"))
    n = 4
    assert abs(averaged["b2"] - (n - 1) / (n + 1)) < 1e-6      # 0.6 for N = 4
    doubled = run(planted("dW2 times 2"))
    assert abs(doubled["W2"] - 1 / 3) < 1e-6                   # a factor k: (k − 1)/(k + 1)
    assert doubled["all"] > 1e-3                               # the random directions see it too
    try:
        run(planted("dW2 transposed"))
    except ValueError as error:
        assert "W2" in str(error)
    else:
        raise AssertionError("a transposed gradient must be reported by its shape")
    # a kink closer than h: ReLU at 3e-6 measures (3e-6 + 1e-5) / 2e-5 = 0.65, not 1
    h, x0 = 1e-5, 3e-6
    assert abs((max(x0 + h, 0.0) - max(x0 - h, 0.0)) / (2 * h) - 0.65) < 1e-9


if __name__ == "__main__":
    print(run(load_reference("backprop").mlp_loss))
    check()
    print("ok")
