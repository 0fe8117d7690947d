"""Independent checks of the reference solutions in ``solutions/``.

Every analytic derivative is held against central differences from
``autograder.numerics.gradcheck``; the numerically delicate functions are run at
``|x| = 1000`` with every floating-point warning turned into an error; the remaining tests
pin down the catalogue's conventions.
"""

import copy
import itertools
import warnings

import numpy as np
import pytest

from autograder.numerics.gradcheck import numerical_gradient, relative_error
from solutions import activations as act
from solutions import backprop as bp
from solutions import calculus as calc
from solutions import losses
from solutions import optimizers as opt
from solutions import stability as stab

TOL = 1e-7
# The elementwise relative error of central differences is ~1e-11 / |gradient entry|, so an
# entry that happens to be near 0 fails a 1e-7 bound whatever the reference does. This seed
# gives every case below well-conditioned inputs: its worst error is ~1e-8 (10x margin).
GRADCHECK_SEED = 38
KINK_GAP = 1e-3


def away_from_zero(rng, shape, low=0.1, high=2.0):
    """Random values with ``low ≤ |x| ≤ high`` and random signs: clear of the ReLU kink."""
    return rng.uniform(low, high, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def mlp_params(rng, sizes):
    return {
        key: value
        for k, (d_in, d_out) in enumerate(itertools.pairwise(sizes), start=1)
        for key, value in ((f"W{k}", rng.normal(0, 1 / np.sqrt(d_in), (d_in, d_out))),
                           (f"b{k}", rng.normal(0, 0.5, d_out)))
    }


def relu_mlp_inputs(rng, sizes, n=5):
    """Inputs and params whose hidden pre-activations all stay > KINK_GAP away from 0."""
    while True:
        x, params = rng.normal(size=(n, sizes[0])), mlp_params(rng, sizes)
        h, zs = x, []
        for k in range(1, len(sizes) - 1):
            zs.append(h @ params[f"W{k}"] + params[f"b{k}"])
            h = np.maximum(zs[-1], 0)
        if all(np.min(np.abs(z)) > KINK_GAP for z in zs):
            return x, params


# --- gradient checks: each case builds (objective, inputs, analytic gradients) --------------
# ``objective(**inputs)`` is a scalar; ``analytic`` maps some input names to their gradients.


def case_elementwise(fn, grad_fn, kinked):
    def build(rng):
        x = away_from_zero(rng, (4, 5), high=3.0) if kinked else rng.uniform(-2.5, 2.5, (4, 5))
        dout = rng.normal(size=(4, 5))
        return (lambda x: np.sum(fn(x) * dout)), {"x": x}, {"x": grad_fn(x) * dout}
    return build


def case_prelu(alpha_kind):
    def build(rng):
        shape = (3, 2, 4) if alpha_kind == "vector" else (6, 4)  # dalpha sums all but axis -1
        x, dout = away_from_zero(rng, shape), rng.normal(size=shape)
        alpha = {"float": 0.2, "0d": np.array(0.3), "vector": rng.uniform(0.05, 0.5, 4)}[
            alpha_kind]
        dx, dalpha = act.prelu_backward(dout, x, alpha)

        def objective(x, alpha):
            return np.sum(act.prelu(x, float(alpha) if alpha_kind == "float" else alpha) * dout)
        return objective, {"x": x, "alpha": np.asarray(alpha, dtype=float)}, {
            "x": dx, "alpha": dalpha}
    return build


def case_loss(name):
    def build(rng):
        if name == "mse":
            pred, target = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
            fn = losses.mse_loss
        elif name == "softmax_ce":
            pred, target = rng.normal(0, 2, (6, 4)), rng.integers(0, 4, 6)
            fn = losses.softmax_cross_entropy
        else:
            pred, target = rng.normal(0, 2, (5, 3)), rng.uniform(0, 1, (5, 3))
            fn = losses.bce_with_logits
        return (lambda pred: fn(pred, target)[0]), {"pred": pred}, {"pred": fn(pred, target)[1]}
    return build


def case_dense(rng):
    x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 5)), rng.normal(size=5)
    dout = rng.normal(size=(4, 5))
    _, cache = bp.dense_forward(x, W, b)
    dx, dW, db = bp.dense_backward(dout, cache)
    return ((lambda x, W, b: np.sum(bp.dense_forward(x, W, b)[0] * dout)),
            {"x": x, "W": W, "b": b}, {"x": dx, "W": dW, "b": db})


def case_mlp(activation, layers, through_loss):
    def build(rng):
        sizes = [4, 6, 5, 3][:layers] + [3]
        if activation == "relu":
            x, params = relu_mlp_inputs(rng, sizes)
        else:
            x, params = rng.normal(size=(5, 4)), mlp_params(rng, sizes)
        if through_loss:
            y = rng.integers(0, 3, 5)
            _, grads = bp.mlp_loss(x, y, params, activation)

            def objective(**p):
                return bp.mlp_loss(x, y, p, activation)[0]
        else:
            dout = rng.normal(size=(5, 3))
            _, cache = bp.mlp_forward(x, params, activation)
            grads = bp.mlp_backward(dout, cache)

            def objective(**p):
                return np.sum(bp.mlp_forward(x, p, activation)[0] * dout)
        assert list(grads) == list(params)
        return objective, params, grads
    return build


def case_batchnorm(rng):
    x = rng.normal(1.0, 2.0, (6, 4))
    gamma, beta, dout = rng.normal(size=4), rng.normal(size=4), rng.normal(size=(6, 4))
    _, cache = stab.batchnorm_forward(x, gamma, beta)
    dx, dgamma, dbeta = stab.batchnorm_backward(dout, cache)
    return ((lambda x, gamma, beta: np.sum(stab.batchnorm_forward(x, gamma, beta)[0] * dout)),
            {"x": x, "gamma": gamma, "beta": beta}, {"x": dx, "gamma": dgamma, "beta": dbeta})


def case_residual(rng):
    while True:
        x, W1, b1 = rng.normal(size=(5, 4)), rng.normal(size=(4, 6)), rng.normal(size=6)
        if np.min(np.abs(x @ W1 + b1)) > KINK_GAP:
            break
    W2, b2, dout = rng.normal(size=(6, 4)), rng.normal(size=4), rng.normal(size=(5, 4))
    inputs = {"x": x, "W1": W1, "b1": b1, "W2": W2, "b2": b2}
    _, cache = stab.residual_forward(**inputs)
    grads = dict(zip(inputs, stab.residual_backward(dout, cache), strict=True))
    return (lambda **kw: np.sum(stab.residual_forward(**kw)[0] * dout)), inputs, grads


GRADIENT_CASES = {
    "sigmoid_grad": case_elementwise(act.sigmoid, act.sigmoid_grad, kinked=False),
    "tanh_grad": case_elementwise(np.tanh, act.tanh_grad, kinked=False),
    "relu_grad": case_elementwise(act.relu, act.relu_grad, kinked=True),
    "leaky_relu_grad": case_elementwise(lambda x: act.leaky_relu(x, 0.1),
                                        lambda x: act.leaky_relu_grad(x, 0.1), kinked=True),
    "chain_rule": case_elementwise(lambda x: np.sin(x**2), lambda x: calc.chain_rule(
        np.cos, np.square, lambda v: 2 * v, x), kinked=False),
    **{f"prelu_backward[{kind}]": case_prelu(kind) for kind in ("float", "0d", "vector")},
    **{name: case_loss(name) for name in ("mse", "softmax_ce", "bce")},
    "dense_backward": case_dense,
    **{f"mlp_{'loss' if loss else 'backward'}[{a},{n}]": case_mlp(a, n, loss)
       for a in ("relu", "sigmoid", "tanh") for n in (1, 2, 3) for loss in (False, True)},
    "batchnorm_backward": case_batchnorm,
    "residual_backward": case_residual,
}


@pytest.mark.parametrize("name", list(GRADIENT_CASES))
def test_gradient_matches_central_differences(name):
    objective, inputs, analytic = GRADIENT_CASES[name](np.random.default_rng(GRADCHECK_SEED))
    assert analytic, "a case must check at least one gradient"
    for key, grad in analytic.items():
        assert np.shape(grad) == np.shape(inputs[key]), key

        def along(value, key=key):
            return objective(**{**inputs, key: value})

        numeric = numerical_gradient(along, inputs[key])
        err = relative_error(grad, numeric)
        assert err < TOL, f"{name}: d/d{key} relative error {err:.2e}"


def test_prelu_dalpha_has_the_type_of_alpha():
    x, dout = np.array([[-1.0, 2.0], [3.0, -4.0]]), np.ones((2, 2))
    assert isinstance(act.prelu_backward(dout, x, 0.1)[1], float)
    assert np.shape(act.prelu_backward(dout, x, np.array(0.1))[1]) == ()
    _, dalpha = act.prelu_backward(dout, x, np.array([0.1, 0.2]))
    np.testing.assert_array_equal(dalpha, [-1.0, -4.0])


# --- stability at |x| = 1000 ---------------------------------------------------------------

EXTREMES = np.array([-1000.0, -745.0, -500.0, -40.0, 0.0, 40.0, 500.0, 745.0, 1000.0])


def strictly(fn, *args):
    """Call ``fn`` with every floating-point warning raised as an error."""
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        return fn(*args)


@pytest.mark.parametrize("fn, expected", [
    (act.sigmoid, 1 / (1 + np.exp(-np.clip(EXTREMES, -700, 700)))),
    (act.sigmoid_grad, np.exp(-np.abs(np.clip(EXTREMES, -700, 700)))
     / (1 + np.exp(-np.abs(np.clip(EXTREMES, -700, 700)))) ** 2),
])
def test_sigmoid_family_is_stable(fn, expected):
    out = strictly(fn, EXTREMES)
    assert out.dtype == np.float64 and np.all(np.isfinite(out))
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-300)
    assert strictly(fn, np.float64(-40.0)) == pytest.approx(np.exp(-40.0), rel=1e-12)


def test_softmax_and_cross_entropy_are_stable():
    z = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0], [999.0, 1000.0, -5.0]])
    p = strictly(losses.softmax, z)
    expected_last = np.exp([-1.0, 0.0]) / np.sum(np.exp([-1.0, 0.0]))
    np.testing.assert_allclose(p[0], [1.0, 0.0, 0.0], atol=1e-300)
    np.testing.assert_allclose(p[1], [1 / 3] * 3, rtol=1e-14)
    np.testing.assert_allclose(p[2, :2], expected_last, rtol=1e-14)
    loss, dz = strictly(losses.softmax_cross_entropy, z, np.array([2, 0, 0]))
    expected = (2000.0 + np.log(3) + (1 + np.log1p(np.exp(-1.0)))) / 3
    assert np.isfinite(dz).all() and loss == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(dz.sum(axis=1), 0.0, atol=1e-15)


def test_bce_with_logits_is_stable():
    z = np.array([1000.0, -1000.0, 1000.0, -1000.0, 0.0])
    t = np.array([0.0, 1.0, 1.0, 0.0, 0.5])
    loss, dz = strictly(losses.bce_with_logits, z, t)
    assert loss == pytest.approx((1000.0 + 1000.0 + np.log(2)) / 5, rel=1e-14)
    np.testing.assert_allclose(dz, np.array([1.0, -1.0, 0.0, 0.0, 0.0]) / 5, atol=1e-300)


# --- inputs are never modified -------------------------------------------------------------


def _quadratic_loss(X, y, params):
    diff = X @ params["w"] - y
    return float(np.mean(diff**2)), {"w": 2 * X.T @ diff / diff.size}


def _call_cases():
    rng = np.random.default_rng(3)
    x, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2)
    params = mlp_params(rng, [3, 4, 2])
    grads = {k: rng.normal(size=v.shape) for k, v in params.items()}
    zeros = {k: np.zeros_like(v) for k, v in params.items()}
    X, y = rng.normal(size=(10, 3)), rng.normal(size=10)
    quad = {"w": rng.normal(size=3)}
    gamma, beta = rng.normal(size=3), rng.normal(size=3)
    return {
        "numerical_gradient": (calc.numerical_gradient, (lambda v: np.sum(v**3), x)),
        "gradient_descent": (calc.gradient_descent, (lambda w: 2 * w, W, 0.1, 3)),
        "accumulate_gradients": (calc.accumulate_gradients, (
            lambda w, X, y: _quadratic_loss(X, y, {"w": w})[1]["w"], quad["w"],
            [(X[:3], y[:3]), (X[3:], y[3:])])),
        "sigmoid": (act.sigmoid, (x,)),
        "prelu": (act.prelu, (x, np.array([0.1, 0.2, 0.3]))),
        "prelu_backward": (act.prelu_backward, (x[::-1].copy(), x, np.array(0.2))),
        "mse_loss": (losses.mse_loss, (x, x[::-1])),
        "softmax": (losses.softmax, (x,)),
        "softmax_cross_entropy": (losses.softmax_cross_entropy, (x, np.array([0, 1, 2, 1]))),
        "bce_with_logits": (losses.bce_with_logits, (x, np.full_like(x, 0.3))),
        "dense_forward": (bp.dense_forward, (x, W, b)),
        "dense_backward": (bp.dense_backward, (x @ W, (x, W, b))),
        "mlp_forward": (bp.mlp_forward, (x, params, "tanh")),
        "mlp_loss": (bp.mlp_loss, (x, np.array([0, 1, 1, 0]), params, "relu")),
        "sgd_step": (opt.sgd_step, (params, grads, 0.1)),
        "momentum_step": (opt.momentum_step, (params, grads, grads, 0.1)),
        "adam_step": (opt.adam_step, (params, grads, {"t": 0, "m": zeros, "v": zeros})),
        "train_sgd": (opt.train_sgd, (X, y, quad, _quadratic_loss, 0.1, 2, 4, 0)),
        "clip_grad_norm": (stab.clip_grad_norm, (grads, 0.1)),
        "clip_grad_value": (stab.clip_grad_value, (grads, 0.1)),
        "train_clipped": (stab.train_clipped, (X, y, quad, _quadratic_loss, 0.1, 3, 0.5)),
        "batchnorm_forward": (stab.batchnorm_forward, (x, gamma, beta)),
        "residual_forward": (stab.residual_forward, (x, W, b, W.T, b[:1].repeat(3))),
    }


def _equal(a, b):
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_equal(u, v) for u, v in zip(a, b, strict=True))
    if isinstance(a, np.ndarray):
        return np.array_equal(a, b)
    return callable(a) or a == b


@pytest.mark.parametrize("name", list(_call_cases()))
def test_inputs_are_not_modified(name):
    fn, args = _call_cases()[name]
    before = copy.deepcopy(args)
    fn(*args)
    assert _equal(args, before)


def test_backward_passes_do_not_modify_their_inputs():
    rng = np.random.default_rng(4)
    x, dout = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    for forward, backward, args in [
        (stab.batchnorm_forward, stab.batchnorm_backward, (x, np.ones(3), np.zeros(3))),
        (stab.residual_forward, stab.residual_backward,
         (x, rng.normal(size=(3, 4)), np.zeros(4), rng.normal(size=(4, 3)), np.zeros(3))),
        (bp.mlp_forward, bp.mlp_backward, (x, mlp_params(rng, [3, 4, 3]))),
    ]:
        _, cache = forward(*args)
        saved = (copy.deepcopy(dout), copy.deepcopy(cache))
        backward(dout, cache)
        assert _equal((dout, cache), saved)


# --- chapter 1 -----------------------------------------------------------------------------


def test_numerical_gradient_and_relative_error_agree_with_gradcheck():
    rng = np.random.default_rng(5)
    for shape in [(), (3,), (2, 3, 2)]:
        x = rng.normal(size=shape)
        mine = calc.numerical_gradient(lambda v: np.sum(np.sin(v) * v), x)
        assert mine.shape == np.shape(x) and mine.dtype == np.float64
        np.testing.assert_allclose(mine, numerical_gradient(lambda v: np.sum(np.sin(v) * v), x))
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    assert calc.relative_error(a, b) == relative_error(a, b)
    assert calc.relative_error(np.zeros(3), np.zeros(3)) == 0.0


@pytest.mark.parametrize("w0", [0.5, np.array([0.5, -2.0])])
def test_gradient_descent_on_a_parabola(w0):
    history = calc.gradient_descent(lambda w: 2 * w, w0, 0.01, 1000)
    assert history.shape == (1001, *np.shape(w0))
    expected = np.multiply.outer(0.98 ** np.arange(1001), np.asarray(w0))
    np.testing.assert_allclose(history, expected, rtol=1e-10)


def test_accumulate_gradients_weights_batches_by_size():
    rng = np.random.default_rng(6)
    X, y, w = rng.normal(size=(11, 3)), rng.normal(size=11), rng.normal(size=3)

    def grad_fn(w, X, y):
        return _quadratic_loss(X, y, {"w": w})[1]["w"]

    batches = [(X[:2], y[:2]), (X[2:9], y[2:9]), (X[9:], y[9:])]
    np.testing.assert_allclose(calc.accumulate_gradients(grad_fn, w, batches),
                               grad_fn(w, X, y), rtol=1e-12)


# --- chapter 3 -----------------------------------------------------------------------------


def test_mlp_forward_rejects_unknown_activation():
    with pytest.raises(ValueError, match="swish"):
        bp.mlp_forward(np.ones((2, 3)), {}, activation="swish")
    with pytest.raises(ValueError):
        bp.mlp_loss(np.ones((2, 3)), np.zeros(2, int), {}, activation="swish")


def test_dense_forward_cache_and_momentum_closed_form():
    x, W, b = np.ones((2, 3)), np.full((3, 4), 2.0), np.arange(4.0)
    out, cache = bp.dense_forward(x, W, b)
    np.testing.assert_array_equal(out, np.tile(6.0 + np.arange(4.0), (2, 1)))
    assert cache[0] is x and cache[1] is W and cache[2] is b
    p, g, v = {"w": np.array([1.0])}, {"w": np.array([2.0])}, {"w": np.array([0.0])}
    for _ in range(2):
        p, v = opt.momentum_step(p, g, v, lr=0.1, beta=0.5)
    np.testing.assert_allclose(v["w"], [2.0 + 0.5 * 2.0])
    np.testing.assert_allclose(p["w"], [1.0 - 0.1 * 2.0 - 0.1 * 3.0])
    np.testing.assert_allclose(opt.sgd_step(p, g, 0.5)["w"], p["w"] - 1.0)


def test_adam_with_constant_gradient_steps_lr_sign_g():
    g = np.array([[0.3, -2.0], [1e-3, 5.0]])
    params, grads = {"w": np.ones((2, 2))}, {"w": g}
    state = {"t": 0, "m": {"w": np.zeros((2, 2))}, "v": {"w": np.zeros((2, 2))}}
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    for t in range(1, 4):
        new_params, new_state = opt.adam_step(params, grads, state, lr, b1, b2, eps)
        assert new_state is not state and state["t"] == t - 1 and new_state["t"] == t
        # With a constant gradient m̂ = g and v̂ = g² exactly: each step is lr·g/(|g| + eps).
        np.testing.assert_allclose(new_state["m"]["w"], (1 - b1**t) * g, rtol=1e-12)
        np.testing.assert_allclose(new_state["v"]["w"], (1 - b2**t) * g**2, rtol=1e-12)
        np.testing.assert_allclose(new_params["w"], 1 - t * lr * g / (np.abs(g) + eps),
                                   rtol=1e-10)
        params, state = new_params, new_state


def test_train_sgd_batches_shuffling_and_history():
    n, batch_size, epochs, seed = 10, 4, 3, 11
    X, y = np.arange(n, dtype=float)[:, None], np.arange(n, dtype=float)
    seen = []

    def loss_fn(Xb, yb, params):
        seen.append(Xb[:, 0].astype(int))
        return float(np.mean(yb)), {"w": np.ones(1)}

    params, history = opt.train_sgd(X, y, {"w": np.zeros(1)}, loss_fn, 0.5, epochs,
                                    batch_size, seed)
    assert history.shape == (epochs,)
    rng = np.random.default_rng(seed)
    perms = [rng.permutation(n) for _ in range(epochs)]
    expected_batches = [p[i:i + batch_size] for p in perms for i in range(0, n, batch_size)]
    assert [len(b) for b in seen] == [4, 4, 2] * epochs
    assert all(np.array_equal(a, b) for a, b in zip(seen, expected_batches, strict=True))
    np.testing.assert_allclose(history, np.full(epochs, np.mean(y)))  # weighted, not 3 batches
    np.testing.assert_allclose(params["w"], [-0.5 * 3 * epochs])


# --- chapter 4 -----------------------------------------------------------------------------


def _norm(d):
    return np.sqrt(sum(np.sum(v**2) for v in d.values()))


@pytest.mark.parametrize("scale, max_norm, clipped", [
    (0.5, 1.0, False), (1.0, 1.0, True), (10.0, 1.0, True), (0.0, 1.0, False)])
def test_clip_grad_norm(scale, max_norm, clipped):
    base = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}  # global norm 5, not 3 and 4
    grads = {k: v * scale / 5.0 for k, v in base.items()}
    out, total = stab.clip_grad_norm(grads, max_norm)
    assert total == pytest.approx(scale, abs=1e-15)
    assert out.keys() == grads.keys() and all(out[k] is not grads[k] for k in grads)
    factor = max_norm / (scale + 1e-6) if clipped else 1.0
    for k, g in grads.items():
        np.testing.assert_allclose(out[k], g * factor, rtol=1e-14)
    assert _norm(out) <= max_norm


@pytest.mark.parametrize("bad", [np.inf, -np.inf, np.nan])
def test_clip_grad_norm_rejects_non_finite(bad):
    with pytest.raises(ValueError):
        stab.clip_grad_norm({"a": np.ones(3), "b": np.array([1.0, bad])}, 1.0)


def test_clip_grad_value():
    out = stab.clip_grad_value({"a": np.array([-3.0, 0.5, 2.0])}, 1.0)
    np.testing.assert_array_equal(out["a"], [-1.0, 0.5, 1.0])


@pytest.mark.parametrize("init, std", [
    (stab.xavier_init, lambda i, o: np.sqrt(2 / (i + o))),
    (stab.he_init, lambda i, o: np.sqrt(2 / i))])
def test_initializers(init, std):
    W = init(400, 300, np.random.default_rng(0))
    assert W.shape == (400, 300) and W.dtype == np.float64
    assert abs(W.std() / std(400, 300) - 1) < 0.05 and abs(W.mean()) < 0.05 * std(400, 300)
    np.testing.assert_array_equal(W, init(400, 300, np.random.default_rng(0)))
    expected = np.random.default_rng(1).normal(0.0, std(400, 300), size=(400, 300))
    np.testing.assert_array_equal(init(400, 300, np.random.default_rng(1)), expected)


def test_exploding_example_diverges_without_clipping_and_trains_with_it():
    X, y, params, loss_fn, lr, steps, max_norm = stab.exploding_example()
    assert steps <= 200
    _, unclipped = stab.train_unclipped(X, y, params, loss_fn, lr, steps)
    _, clipped = stab.train_clipped(X, y, params, loss_fn, lr, steps, max_norm)
    assert unclipped.shape == clipped.shape == (steps,)
    assert not np.all(np.isfinite(unclipped))
    assert np.all(np.isfinite(clipped)) and clipped[0] == unclipped[0]
    assert clipped[-1] < 0.5 * clipped[0]


def test_train_clipped_records_loss_before_each_update():
    X, y = np.eye(2), np.array([1.0, -1.0])
    _, history = stab.train_clipped(X, y, {"w": np.zeros(2)}, _quadratic_loss, 0.5, 2, 0.1)
    # step 0 at w = 0; the gradient (−1, 1) has norm √2 > 0.1, so w moves by 0.05·(1, −1)/√2.
    w1 = 0.5 * 0.1 / (np.sqrt(2) + 1e-6) * np.array([1.0, -1.0])
    np.testing.assert_allclose(history, [1.0, np.mean((w1 - y) ** 2)], rtol=1e-12)
