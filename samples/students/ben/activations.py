def tanh_grad(x):
    return 1 - x**2
