def sgd_step(params, grads, lr):
    new_params = {}
    for k in params:
        new_params[k] = params[k] - lr * grads[k]
