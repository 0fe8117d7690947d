"""Chapter 1 exercises (Kim)."""

import numpy as np
from helpers import plot_history  # a module on Kim's laptop only: loading stops here


def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = h
        grad[i] = (f(x + step) - f(x - step)) / (2 * h)
    return grad


def gradient_descent(grad_fn, w0, lr, steps):
    history = [np.array(w0, dtype=float)]
    for _ in range(steps):
        history.append(history[-1] - lr * grad_fn(history[-1]))
    plot_history(history)
    return np.stack(history)
