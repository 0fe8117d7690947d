def accumulate_gradients(grad_fn, w, batches):
    total = 0
    for X, y in batches:
        total = total + grad_fn(w, X, y)
    return total / len(batches)
