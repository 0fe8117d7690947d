"""Ada writes everything her own way, and all of it is right."""

import numpy as np


def sigmoid(x):
    # the tanh form never overflows
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))


def sigmoid_grad(x):
    s = sigmoid(x)
    return s - s * s


def tanh_grad(x):
    t = np.tanh(x)
    return (1 - t) * (1 + t)


def relu(x):
    return x * (x > 0)


def relu_grad(x):
    return x > 0


def leaky_relu(x, alpha=0.01):
    return np.maximum(x, alpha * x)


def leaky_relu_grad(x, alpha=0.01):
    return np.where(x > 0, 1.0, alpha)


def prelu(x, alpha):
    return np.maximum(x, 0) + alpha * np.minimum(x, 0)


def prelu_backward(dout, x, alpha):
    negative = np.minimum(x, 0)
    dx = dout * np.where(x > 0, 1.0, alpha)
    dalpha = (dout * negative).reshape(-1, np.shape(alpha)[0]).sum(axis=0) \
        if np.ndim(alpha) else float(np.sum(dout * negative))
    return dx, dalpha
