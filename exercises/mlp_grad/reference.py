"""A sigmoid network's squared error ||y - f_K||^2, and its gradients by back-propagation."""

from collections.abc import Callable

import numpy as np

from exercises.common import sigmoid

Layers = list[np.ndarray]
Local = Callable[[np.ndarray, int], np.ndarray]


def forward(x: np.ndarray, As: Layers, bs: Layers, activation: Callable[[np.ndarray], np.ndarray] = sigmoid) -> Layers:
    """The activations f_0 = x, f_1, ..., f_K."""
    fs = [x]
    for A, b in zip(As, bs, strict=True):
        fs.append(activation(A @ fs[-1] + b))
    return fs


def loss(x: np.ndarray, y: np.ndarray, As: Layers, bs: Layers) -> float:
    return float(np.sum((y - forward(x, As, bs)[-1]) ** 2))


def backward(fs: Layers, g: np.ndarray, As: Layers, local: Local) -> tuple[Layers, Layers]:
    """Back-propagate ``g`` = dL/df_K; ``local(f_out, i)`` is layer i's activation derivative."""
    dAs: Layers = []
    dbs: Layers = []
    for i in range(len(As) - 1, -1, -1):
        delta = g * local(fs[i + 1], i)
        dAs.insert(0, np.outer(delta, fs[i]))
        dbs.insert(0, delta)
        g = As[i].T @ delta
    return dAs, dbs


def sigmoid_derivative(f_out: np.ndarray, layer: int) -> np.ndarray:
    """sigma'(z) written with the layer's output f = sigma(z)."""
    return f_out * (1.0 - f_out)


def gradient(x: np.ndarray, y: np.ndarray, As: Layers, bs: Layers) -> tuple[Layers, Layers]:
    fs = forward(x, As, bs)
    return backward(fs, 2.0 * (fs[-1] - y), As, sigmoid_derivative)
