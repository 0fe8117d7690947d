def relu_grad(x):
    return np.maximum(x, 0)
