"""Centered finite differences of a scalar loss, in float64."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

# Step of the fourth-order centered stencil. Its truncation error grows like EPS**4 and its
# rounding error like 1e-16 * |L| / EPS: 1e-4 keeps both near 1e-12 for losses of order 1-1000.
EPS = 1e-4


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = EPS) -> np.ndarray:
    """The gradient of ``f()`` with respect to the float64 array ``x``, which ``f`` reads.

    Each entry of ``x`` is perturbed in place and restored, so ``f`` must read ``x`` each
    time it is called. Uses (8[f(x+h) - f(x-h)] - [f(x+2h) - f(x-2h)]) / 12h.
    """
    grad = np.zeros(x.shape, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        original = flat[i]
        values = []
        for step in (eps, -eps, 2 * eps, -2 * eps):
            flat[i] = original + step
            values.append(float(f()))
        flat[i] = original
        gflat[i] = (8 * (values[0] - values[1]) - (values[2] - values[3])) / (12 * eps)
    return grad


def loss_gradient(loss: Callable[..., float], inputs: dict[str, Any], wrt: tuple[str, ...]) -> dict[str, Any]:
    """The gradient of ``loss(**inputs)`` with respect to each input named in ``wrt``.

    An input may be a Python float, an array, or a list of arrays; the gradient has the same
    form. The caller's inputs are copied, never changed.
    """
    work = {name: _copy(value) for name, value in inputs.items()}
    grads: dict[str, Any] = {}
    for name in wrt:
        value = work[name]
        if isinstance(value, list):
            grads[name] = [numerical_gradient(lambda: loss(**work), part) for part in value]
        elif isinstance(value, np.ndarray):
            grads[name] = numerical_gradient(lambda: loss(**work), value)
        else:
            holder = np.array([float(value)])

            def scalar_loss(name: str = name, holder: np.ndarray = holder) -> float:
                return loss(**{**work, name: float(holder[0])})

            grads[name] = float(numerical_gradient(scalar_loss, holder)[0])
    return grads


def _copy(value: Any) -> Any:
    if isinstance(value, list):
        return [np.array(part, dtype=np.float64) for part in value]
    if isinstance(value, np.ndarray):
        return value.astype(np.float64) if value.dtype.kind == "f" else value.copy()
    return value
