def leaky_relu(x, alpha=0.01):
    return np.where(x > 0, x, 0.01 * x)


def leaky_relu_grad(x, alpha=0.01):
    return (x > 0).astype(float)
