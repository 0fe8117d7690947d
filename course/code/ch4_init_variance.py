"""Chapter 4: the variance argument behind He initialisation, measured.

A batch is pushed through 30 ReLU layers of width 256 whose weights are drawn
with variance c / fan_in. The mean square of the pre-activations is printed per
layer: with c = 2 it stays put, with c = 1 it halves at every layer, with c = 4
it doubles — exactly the factor c/2 the derivation predicts.
"""

import numpy as np


# --8<-- [start:variance]
def second_moments(c, depth=30, width=256, batch=500, seed=0):
    """mean(z_l²), l = 1..depth, for W_l ~ N(0, c / fan_in) and ReLU."""
    rng = np.random.default_rng(seed=seed)
    h = rng.normal(size=(batch, width))
    moments = []
    for _layer in range(depth):
        W = rng.normal(size=(width, width)) * np.sqrt(c / width)
        z = h @ W
        moments.append(float(np.mean(z**2)))
        h = np.maximum(z, 0.0)
    return np.array(moments)


for c in [1.0, 2.0, 4.0]:
    m = second_moments(c)
    factor = (m[29] / m[0]) ** (1 / 29)
    print(f"Var(w) = {c:.0f}/fan_in: mean z² at layers 1, 10, 30 = "
          f"{m[0]:.2f}, {m[9]:.3g}, {m[29]:.3g}; per layer ×{factor:.3f}")
# --8<-- [end:variance]


def check():
    for c in [1.0, 2.0, 4.0]:
        m = second_moments(c)
        factor = (m[-1] / m[0]) ** (1 / (len(m) - 1))
        assert abs(factor - c / 2) < 0.05 * c / 2      # the predicted factor c/2 per layer
    # the table of the chapter
    m1, m2, m4 = second_moments(1.0), second_moments(2.0), second_moments(4.0)
    assert round(m1[0], 2) == 1.00 and round(m1[9], 3) == 0.003 and f"{m1[29]:.1e}" == "4.8e-09"
    assert round(m2[9], 2) == 3.07
    assert round(m4[0], 2) == 4.01 and f"{m4[9]:.1e}" == "3.1e+03" and f"{m4[29]:.1e}" == "5.6e+09"
    factors = [round((m[29] / m[0]) ** (1 / 29), 3) for m in (m1, m2, m4)]
    assert factors == [0.517, 1.033, 2.067]
    he = second_moments(2.0)
    # no systematic trend, only a random drift of a small factor (finite width)
    assert 0.25 < he[-1] / he[0] < 4.0
    assert round(he[0], 2) == 2.01 and round(he[-1], 2) == 5.18
    assert second_moments(1.0)[-1] < 1e-7          # about 2**-29 of the first layer
    assert second_moments(4.0)[-1] > 1e8           # about 2**29 of the first layer
    # the half that ReLU keeps: E[relu(z)²] = ½ E[z²] for symmetric z
    z = np.random.default_rng(1).normal(size=1_000_000)
    assert abs(np.mean(np.maximum(z, 0) ** 2) - 0.5) < 0.005


if __name__ == "__main__":
    check()
    print("ok")
