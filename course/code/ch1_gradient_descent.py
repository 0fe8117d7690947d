"""Chapter 1: gradient descent on the one-parameter loss L(w) = w².

dL/dw = 2w, so one step turns w into w − lr·2w = (1 − 2·lr)·w. With lr = 0.01 every step
multiplies w by 0.98, and after k steps w_k = 0.5·0.98**k exactly (up to rounding).
"""

# --8<-- [start:loop]
def descend_on_square(w0, lr, steps):
    """Gradient descent on L(w) = w²: returns [w_0, w_1, ..., w_steps]."""
    ws = [float(w0)]
    while len(ws) <= steps:
        slope = 2.0 * ws[-1]             # dL/dw at the current point
        ws.append(ws[-1] - lr * slope)   # step downhill, against the slope
    return ws


ws = descend_on_square(w0=0.5, lr=0.01, steps=1000)
for k in (0, 1, 2, 10, 100, 500, 1000):
    print(f"k={k:4d}  w_k={ws[k]:.6e}  0.5*0.98**k={0.5 * 0.98**k:.6e}",
          f" L={ws[k] ** 2:.3e}")
# --8<-- [end:loop]


# --8<-- [start:rates]
for lr in (0.01, 0.5, 0.9, 1.1):
    ws_lr = descend_on_square(w0=0.5, lr=lr, steps=20)
    print(f"lr={lr:4}: 1-2*lr = {1 - 2 * lr:+.2f}, w_20 = {ws_lr[-1]:+.3e}")
# --8<-- [end:rates]


def check():
    """The numbers the page quotes."""
    w = descend_on_square(0.5, 0.01, 1000)
    assert len(w) == 1001 and w[0] == 0.5
    for k in (1, 2, 10, 100, 500, 1000):
        assert abs(w[k] - 0.5 * 0.98**k) <= 1e-12 * 0.5 * 0.98**k, k
    assert abs(w[1] - 0.49) < 1e-15 and abs(w[2] - 0.4802) < 1e-15
    assert abs(w[1000] - 8.41e-10) < 0.01e-10          # 0.5·0.98^1000 ≈ 8.41e-10
    assert all(abs(a) > abs(b) for a, b in zip(w, w[1:]))  # |w| shrinks every step
    # lr = 0.5 jumps to the minimum in one step; 0.9 oscillates but shrinks; 1.1 diverges
    assert descend_on_square(0.5, 0.5, 1)[1] == 0.0
    w09 = descend_on_square(0.5, 0.9, 20)
    assert w09[1] < 0 < w09[2] and abs(w09[-1]) < 0.01
    w11 = descend_on_square(0.5, 1.1, 20)
    assert abs(w11[-1] - 0.5 * 1.2**20) < 1e-9 and w11[-1] > 19


if __name__ == "__main__":
    check()
