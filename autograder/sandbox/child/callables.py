"""Trusted functions that checks pass *into* a student's function (``f``, ``grad_fn``, ``loss_fn``).

A function cannot cross the sandbox boundary, so a check sends its name and
arguments instead — ``{"__fn__": "cubic", "args": [c]}`` — and the student's
process builds it here with :func:`make`.  The module is loaded into the
sandbox's warm worker before any submission, and it uses NumPy only.
Register a factory with :func:`factory`; the grader's side can call
:func:`make` too, to compute the same function's reference answers.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np

from autograder.sandbox import protocol

FACTORIES: dict[str, Callable[..., Callable]] = {}


def factory(fn: Callable[..., Callable]) -> Callable[..., Callable]:
    """Register ``fn`` (which returns the function to pass) under its name."""
    FACTORIES[fn.__name__] = fn
    return fn


def make(name: str, *args) -> Callable:
    """The function that factory ``name`` builds from ``args``."""
    return FACTORIES[name](*args)


class Ref(dict):
    """What a check sends in place of a function (:func:`autograder.sandbox.protocol.function`).

    On the wire it is a plain dict; on the grader's side it can also be called,
    so the reference solution and a check's own arithmetic use it as the
    function itself, and ``str()`` gives a line a student can read.
    """

    def __call__(self, *args):
        return make(self[protocol.FUNCTION], *self["args"])(*args)

    def __str__(self) -> str:
        return text_of(self)


def ref(name: str, *args) -> Ref:
    """What a check sends in place of the function that factory ``name`` makes of ``args``."""
    return Ref(protocol.function(name, list(args)))


def text_of(reference: dict) -> str:
    """``cubic(c=0.5) — f(x) = Σ c·x³ + sin(x)``: the factory's call and its docstring's formula.

    A factory with a ``text`` attribute (a function of the same arguments) writes its own.
    """
    name = reference[protocol.FUNCTION]
    fn = FACTORIES[name]
    if hasattr(fn, "text"):  # a factory that writes its own formula
        return fn.text(*reference.get("args", []))
    bound = inspect.signature(fn).bind(*reference.get("args", []))
    args = ", ".join(f"{k}={_short(v)}" for k, v in bound.arguments.items())
    summary = (fn.__doc__ or "").strip().splitlines()[0].split("``: ")[0].replace("``", "")
    return f"{name}({args}) — {summary}"


def _short(value) -> str:
    if isinstance(value, np.ndarray):
        return np.array2string(value, precision=4, separator=", ").replace("\n", "")
    return repr(value)


@factory
def cubic(c):
    """``f(x) = Σ c·x³ + sin(x)``: a smooth scalar function of an array of any shape."""
    c = np.asarray(c, dtype=np.float64)
    return lambda x: float(np.sum(c * np.asarray(x) ** 3 + np.sin(x)))


@factory
def quadratic_grad(a, center):
    """``grad_fn(w) = 2·a·(w − center)``: the gradient of ``L(w) = Σ a·(w − center)²``."""
    a = np.asarray(a, dtype=np.float64)
    center = np.asarray(center, dtype=np.float64)
    return lambda w: 2.0 * a * (np.asarray(w, dtype=np.float64) - center)


_ELEMENTWISE = {  # kind: (u ↦ kind(u), its derivative, both as text of u)
    "sin": (np.sin, np.cos, "sin({u})", "cos({u})"),
    "exp": (np.exp, np.exp, "exp({u})", "exp({u})"),
    "tanh": (np.tanh, lambda u: 1.0 - np.tanh(u) ** 2, "tanh({u})", "1 − tanh²({u})"),
    "cube": (lambda u: u**3, lambda u: 3.0 * u**2, "{p}³", "3·{p}²"),
}


@factory
def elementwise(kind, a, derivative=0):
    """``x ↦ kind(a·x)`` elementwise, or its derivative ``a·kind′(a·x)`` if ``derivative`` is 1.

    ``kind`` is one of ``sin``, ``exp``, ``tanh``, ``cube`` (u ↦ u³).
    """
    f, f_prime, _text, _derivative_text = _ELEMENTWISE[kind]
    if derivative:
        return lambda x: a * f_prime(a * np.asarray(x, dtype=np.float64))
    return lambda x: f(a * np.asarray(x, dtype=np.float64))


def _elementwise_text(kind, a, derivative=0) -> str:
    """``x ↦ 0.5·cos(0.5·x)``: the function :func:`elementwise` builds, as a formula."""
    u = "x" if a == 1 else f"{a:g}·x"
    text = _ELEMENTWISE[kind][3 if derivative else 2].format(u=u, p=u if a == 1 else f"({u})")
    if derivative and a != 1:
        text = f"{a:g}·" + (f"({text})" if " " in text else text)
    return f"x ↦ {text}"


elementwise.text = _elementwise_text


def linear_mse(X, y, W, b=0.0):
    """Mean squared error of ``X @ W + b`` against ``y`` and its gradients.

    ``X`` is ``(N, D)``, ``W`` is ``(D,)`` or ``(D, K)``, ``b`` is a scalar or ``(K,)``
    and ``y`` has the shape of ``X @ W``.  The mean runs over every element of
    ``y``.  Returns ``(loss, dW, db)``, each gradient shaped like its parameter.
    """
    X = np.asarray(X, dtype=np.float64)
    residual = X @ W + b - y
    scale = 2.0 / residual.size
    db = scale * residual.sum(axis=0) if np.ndim(b) else scale * float(residual.sum())
    return float(np.mean(residual**2)), scale * (X.T @ residual), db


@factory
def least_squares_grad():
    """``grad_fn(w, X, y) = 2·Xᵀ(X @ w − y) / y.size``: the gradient of ``mean((X @ w − y)²)``."""
    return lambda w, X, y: linear_mse(X, y, np.asarray(w, dtype=np.float64))[1]


@factory
def linear_regression():
    """``loss_fn(X, y, params) = (mean((X @ W + b − y)²), {"W": dW, "b": db})``: linear regression.

    ``params`` holds ``W`` ``(D, K)`` and ``b`` ``(K,)``; the gradients are a new
    dict shaped like ``params``.
    """
    def loss_fn(X, y, params):
        loss, dW, db = linear_mse(X, y, params["W"], params["b"])
        return loss, {"W": dW, "b": db}
    return loss_fn


@factory
def deep_linear_loss():
    """``loss_fn(X, y, params) = (mean((X @ W1 @ … @ WL − y)²), grads)``: the chapter's deep
    linear network, whose ``grads`` have the keys and shapes of ``params`` (``W1`` … ``WL``).

    The grader's own copy of the stability exercise's support function, so that what
    ``train_clipped`` is judged on never depends on the student's file.
    """
    def loss_fn(X, y, params):
        depth = len(params)
        activations = [np.asarray(X, dtype=np.float64)]  # h_0 … h_L, each (N, D_l)
        for k in range(1, depth + 1):
            activations.append(activations[-1] @ params[f"W{k}"])
        residual = activations[-1] - y
        delta, grads = 2.0 * residual / residual.size, {}  # dL/dh_L, (N, D_L)
        for k in range(depth, 0, -1):
            grads[f"W{k}"] = activations[k - 1].T @ delta
            delta = delta @ params[f"W{k}"].T
        return float(np.mean(residual**2)), {f"W{k}": grads[f"W{k}"] for k in range(1, depth + 1)}
    return loss_fn


@factory
def generator(seed):
    """``np.random.default_rng(seed)``: a random generator made in the student's process."""
    return np.random.default_rng(seed)


@factory
def as_tuple(*items):
    """``tuple(items)``: a tuple argument (a layer's cache), which plain data sends as a list."""
    return tuple(items)
