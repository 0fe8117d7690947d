"""Chapter 4: clipping by global norm keeps the direction, clipping by value does not.

The gradients of two arrays, W = [6, −2] and b = [3], have a global norm of 7.
Both rules are applied to the three entries laid out as one vector, and the
direction of the result is compared with the direction of the gradient.
"""

import numpy as np

# --8<-- [start:clipping]
g = np.array([6.0, -2.0, 3.0])       # W's two entries and b's one
total_norm = np.linalg.norm(g)           # 7.0, one norm over all arrays

by_norm = g * min(1.0, 1.0 / (total_norm + 1e-6))   # max_norm = 1
by_value = np.clip(g, -1.0, 1.0)                    # clip_value = 1


def cosine(u, v):
    return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))


for name, clipped in [("by norm", by_norm), ("by value", by_value)]:
    cos = round(cosine(clipped, g), 3)
    print(f"{name:8s}", np.round(clipped, 3), "cosine with g:", cos)
# --8<-- [end:clipping]


def check():
    assert total_norm == 7.0
    assert np.allclose(np.round(by_norm, 3), [0.857, -0.286, 0.429])
    assert abs(np.linalg.norm(by_norm) - 1.0) < 1e-6
    assert abs(cosine(by_norm, g) - 1.0) < 1e-12               # same direction
    assert by_value.tolist() == [1.0, -1.0, 1.0]
    assert round(cosine(by_value, g), 3) == 0.907              # direction changed ...
    assert round(np.degrees(np.arccos(cosine(by_value, g))), 1) == 24.9   # ... by 24.9°
    # clipping each array by its own norm also changes the direction
    per_array = np.concatenate([g[:2] / np.linalg.norm(g[:2]), g[2:] / np.linalg.norm(g[2:])])
    assert cosine(per_array, g) < 0.99
    # a gradient already inside the ball is left alone by the norm rule
    small = g / 20
    assert np.array_equal(small * min(1.0, 1.0 / (np.linalg.norm(small) + 1e-6)), small)


if __name__ == "__main__":
    check()
    print("ok")
