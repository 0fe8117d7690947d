"""Ravi's softmax is hard-coded to axis=1: right for a batch of rows, wrong for any other rank."""

import numpy as np


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
