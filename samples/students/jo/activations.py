def sigmoid_grad(x):
    return x * (1 - x)
