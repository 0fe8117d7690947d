"""Chapter 1: derivatives, gradient descent and the chain rule.

Numerical derivatives by central differences are the yardstick for every analytic gradient
in the course; gradient descent and gradient accumulation are the first things built on them.
"""

import numpy as np
import numpy as np


def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros(x.shape)
    for index in np.ndindex(*x.shape):
        bump = np.zeros(x.shape)
        bump[index] = h
        grad[index] = (f(x + bump) - f(x - bump)) / (h + h)
    return grad


def relative_error(a, b, eps=1e-8):
    a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
    scale = np.fmax(np.abs(a) + np.abs(b), eps)
    return (np.abs(a - b) / scale).max(initial=0.0)


def gradient_descent(grad_fn, w0, lr, steps):
    w0 = np.asarray(w0, dtype=float)
    history = np.empty((steps + 1, *w0.shape))
    history[0] = w0
    for k in range(steps):
        history[k + 1] = history[k] - lr * grad_fn(history[k])
    return history


def chain_rule(f_prime, g, g_prime, x):
    return np.multiply(f_prime(g(x)), g_prime(x))


def accumulate_gradients(grad_fn, w, batches):
    grads = [grad_fn(w, X, y) for X, y in batches]
    return np.average(grads, axis=0, weights=[len(X) for X, _ in batches])
