"""Chapter 3: two momentum conventions, and why Adam corrects its bias.

Momentum is run on the one-dimensional quadratic f(w) = ½·a·w² (gradient a·w) in
the course's form and in the "averaged" form with the factor (1 − β); the two
trajectories coincide once the learning rate is rescaled by 1/(1 − β).
For Adam, the ratio m/√v after t steps of a constant gradient shows how far the
uncorrected moments are from the gradient's own scale.
"""

import numpy as np

# --8<-- [start:momentum]
a, beta, lr, steps = 4.0, 0.9, 0.01, 60


def course_momentum(w, lr):
    """v' = β·v + g,  w' = w − lr·v'   (the course's convention)"""
    v, path = 0.0, [w]
    for _step in range(steps):
        v = beta * v + a * w
        w = w - lr * v
        path.append(w)
    return np.array(path)


def averaged_momentum(w, lr):
    """u' = β·u + (1 − β)·g,  w' = w − lr·u'   (another convention)"""
    u, path = 0.0, [w]
    for _step in range(steps):
        u = beta * u + (1 - beta) * a * w
        w = w - lr * u
        path.append(w)
    return np.array(path)


course_path = course_momentum(1.0, lr)
same_lr = np.abs(course_path - averaged_momentum(1.0, lr)).max()
rescaled = np.abs(course_path - averaged_momentum(1.0, lr / (1 - beta))).max()
print(f"same lr: differ by up to {same_lr:.3f}; lr/(1-β): {rescaled:.1e}")
# --8<-- [end:momentum]

# --8<-- [start:adam]
beta1, beta2 = 0.9, 0.999
for t in [1, 2, 10, 100, 1000, 10000]:
    # with g constant, m_t = (1 − β1^t)·g and v_t = (1 − β2^t)·g², so
    # m_t / √v_t = (1 − β1^t) / √(1 − β2^t) · sign(g); corrected, it is 1
    ratio = (1 - beta1**t) / np.sqrt(1 - beta2**t)
    print(f"t = {t:5d}   uncorrected step / lr = {ratio:.2f}")
# --8<-- [end:adam]


def check():
    assert round(same_lr, 2) == 1.16  # the two conventions are different algorithms ...
    assert rescaled < 1e-12         # ... unless the learning rate absorbs 1/(1 − β)
    # with a constant gradient the course's velocity tends to g / (1 − β) = 10·g
    v = 0.0
    for _ in range(500):
        v = beta * v + 1.0
    assert abs(v - 1 / (1 - beta)) < 1e-9
    # the table of uncorrected Adam step sizes quoted in the chapter
    quoted = {1: 3.16, 2: 4.25, 10: 6.53, 100: 3.24, 1000: 1.26, 10000: 1.00}
    for t, value in quoted.items():
        assert round((1 - beta1**t) / np.sqrt(1 - beta2**t), 2) == value
    t = np.arange(1, 20001)
    ratios = (1 - beta1**t) / np.sqrt(1 - beta2**t)
    assert t[np.argmax(ratios)] == 12 and round(ratios.max(), 1) == 6.6
    assert ratios[279] > 2                      # still more than twice too large at step 280
    # the explicit recursion gives the same moments as the closed forms used above
    m = v2 = 0.0
    for _ in range(10):
        m, v2 = beta1 * m + (1 - beta1) * 2.0, beta2 * v2 + (1 - beta2) * 4.0
    assert np.isclose(m, (1 - beta1**10) * 2.0) and np.isclose(v2, (1 - beta2**10) * 4.0)


if __name__ == "__main__":
    check()
    print("ok")
