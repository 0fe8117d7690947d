import numpy as np

print("testing my functions...")


def sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -x))


def relu(x):
    return np.maximum(x, 0.0)


print(sigmoid_grad(0.0))  # not written yet: loading stops here


def tanh_grad(x):
    return 1 - np.tanh(x) ** 2
