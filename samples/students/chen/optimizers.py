def momentum_step(params, grads, velocity, lr, beta=0.9):
    new_params, new_velocity = {}, {}
    for k in params:
        new_velocity[k] = beta * velocity[k] + (1 - beta) * grads[k]
        new_params[k] = params[k] - lr * new_velocity[k]
    return new_params, new_velocity
