"""Chapter 2: what overflows at |z| = 1000, and how shifting by the maximum fixes it.

Each computation runs with NumPy's default floating-point policy (the grader's too): warn on
overflow, division by zero and invalid results, stay silent on underflow. The warnings are
recorded, so the page can show both the broken value and the warning that came with it.
"""

import math
import warnings

import numpy as np


def attempt(label, compute, show=True):
    """Run compute(), print its value and any RuntimeWarning it raised; return both."""
    policy = {"over": "warn", "divide": "warn", "invalid": "warn", "under": "ignore"}
    with warnings.catch_warnings(record=True) as caught, np.errstate(**policy):
        warnings.simplefilter("always")
        value = compute()
    messages = list(dict.fromkeys(str(w.message) for w in caught))   # in order, once each
    if show:
        print(f"{label:22s} -> {value}")
        for message in messages:
            print(f"    RuntimeWarning: {message}")
    return value, messages


# --8<-- [start:overflow]
biggest = np.finfo(np.float64).max
print(biggest, math.log(biggest))          # 1.7976931348623157e+308 709.78...
attempt("exp(709)", lambda: np.exp(709.0))
attempt("exp(710)", lambda: np.exp(710.0))
attempt("exp(-1000)", lambda: np.exp(-1000.0))
# --8<-- [end:overflow]


# --8<-- [start:softmax]
z = np.array([1000.0, 999.0, 998.0])
attempt("naive softmax", lambda: np.exp(z) / np.sum(np.exp(z)))
attempt("naive softmax of -z", lambda: np.exp(-z) / np.sum(np.exp(-z)))
zs = z - z.max()                           # (0, -1, -2): every exponent <= 0
attempt("shifted softmax", lambda: np.exp(zs) / np.sum(np.exp(zs)))
# --8<-- [end:softmax]


# --8<-- [start:logsumexp]
attempt("naive log-sum-exp", lambda: np.log(np.sum(np.exp(z))))
m = z.max()
attempt("m + LSE(z - m)", lambda: m + np.log(np.sum(np.exp(z - m))))

# logits s = (1000, 0) with true class 1: the cross-entropy is 1000
s = np.array([1000.0, 0.0])
ss = s - s.max()
probs = np.exp(ss) / np.sum(np.exp(ss))    # (1, 0): e^-1000 underflowed
attempt("-log(softmax(s)[1])", lambda: -np.log(probs[1]))
lse = s.max() + np.log(np.sum(np.exp(ss)))    # log-sum-exp of s: 1000.0
attempt("-(s[1] - lse)", lambda: -(s[1] - lse))
# --8<-- [end:logsumexp]


# --8<-- [start:bce]
# logit z = 1000 with target t = 0: the binary cross-entropy is 1000
zb, tb = 1000.0, 0.0
p = 1 / (1 + np.exp(-zb))                  # rounds to exactly 1.0
attempt("naive BCE", lambda: -(tb * np.log(p) + (1 - tb) * np.log(1 - p)))
e = math.exp(-abs(zb))                     # exponent -|z| <= 0: cannot overflow
attempt("stable BCE", lambda: max(zb, 0.0) - zb * tb + math.log1p(e))
attempt("naive sigmoid(-1000)", lambda: 1 / (1 + np.exp(1000.0)))
# --8<-- [end:bce]


# --8<-- [start:where]
x = np.array([-1000.0, 0.0, 1000.0])
# np.where picks the safe branch per element, but both branches are computed everywhere:
attempt("np.where sigmoid", lambda: np.where(x >= 0, 1 / (1 + np.exp(-x)),
                                             np.exp(x) / (1 + np.exp(x))))
ex = np.exp(-np.abs(x))                    # every exponent <= 0: computed once, safely
attempt("exp(-|x|) sigmoid", lambda: np.where(x >= 0, 1 / (1 + ex), ex / (1 + ex)))
# --8<-- [end:where]


def check():
    """Each naive form fails (with a warning) exactly as the page says; each fix is right."""
    def run(compute):
        return attempt("", compute, show=False)

    assert abs(math.log(np.finfo(np.float64).max) - 709.78) < 0.01
    v, msg = run(lambda: np.exp(709.0))
    assert np.isfinite(v) and not msg
    v, msg = run(lambda: np.exp(710.0))
    assert v == np.inf and msg == ["overflow encountered in exp"]
    v, msg = run(lambda: np.exp(-1000.0))
    assert v == 0.0 and not msg                     # underflow to 0 is silent, and harmless

    v, msg = run(lambda: np.exp(z) / np.sum(np.exp(z)))
    assert np.all(np.isnan(v))
    assert msg == ["overflow encountered in exp", "invalid value encountered in divide"]
    v, msg = run(lambda: np.exp(-z) / np.sum(np.exp(-z)))
    assert np.all(np.isnan(v)) and msg == ["invalid value encountered in divide"]
    v, msg = run(lambda: np.exp(zs) / np.sum(np.exp(zs)))
    assert np.allclose(v, [0.665241, 0.244728, 0.090031], atol=1e-6) and not msg

    v, msg = run(lambda: np.log(np.sum(np.exp(z))))
    assert v == np.inf and msg == ["overflow encountered in exp"]
    v, msg = run(lambda: m + np.log(np.sum(np.exp(z - m))))
    assert abs(v - (1000 + math.log(1 + math.exp(-1) + math.exp(-2)))) < 1e-12 and not msg
    assert abs(v - 1000.407606) < 1e-6

    assert np.array_equal(probs, [1.0, 0.0])
    v, msg = run(lambda: -np.log(probs[1]))
    assert v == np.inf and msg == ["divide by zero encountered in log"]
    assert lse == 1000.0
    v, msg = run(lambda: -(s[1] - lse))
    assert v == 1000.0 and not msg

    assert p == 1.0
    v, msg = run(lambda: -(tb * np.log(p) + (1 - tb) * np.log(1 - p)))
    assert v == np.inf and msg == ["divide by zero encountered in log"]
    v, msg = run(lambda: max(zb, 0.0) - zb * tb + math.log1p(e))
    assert v == 1000.0 and not msg
    v, msg = run(lambda: 1 / (1 + np.exp(1000.0)))
    assert v == 0.0 and msg == ["overflow encountered in exp"]

    v, msg = run(lambda: np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x))))
    assert np.array_equal(v, [0.0, 0.5, 1.0])          # the values are right ...
    assert "overflow encountered in exp" in msg        # ... and the warning came anyway
    v, msg = run(lambda: np.where(x >= 0, 1 / (1 + ex), ex / (1 + ex)))
    assert np.array_equal(v, [0.0, 0.5, 1.0]) and not msg


if __name__ == "__main__":
    check()
