"""mlp_grad's network and squared error with a choice of activation, and its gradients down to the input x."""

from collections.abc import Callable

import numpy as np

from exercises.common import sigmoid
from exercises.mlp_grad.reference import Layers, Local, backward, forward, sigmoid_derivative

Grads = tuple[Layers, Layers, np.ndarray]


def relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def tanh_derivative(f_out: np.ndarray, layer: int) -> np.ndarray:
    """tanh'(z) = 1 - tanh(z)^2, written with the layer's output f = tanh(z)."""
    return 1.0 - f_out**2


def relu_derivative(f_out: np.ndarray, layer: int) -> np.ndarray:
    """The indicator of z > 0, read from the output: f = max(z, 0) > 0 exactly where z > 0."""
    return (f_out > 0.0).astype(np.float64)


# Each activation by the name the student's function receives, and its derivative from its output.
ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], Local]] = {
    "sigmoid": (sigmoid, sigmoid_derivative),
    "tanh": (np.tanh, tanh_derivative),
    "relu": (relu, relu_derivative),
}


def loss(x: np.ndarray, y: np.ndarray, As: Layers, bs: Layers, activation: str) -> float:
    return float(np.sum((y - forward(x, As, bs, ACTIVATIONS[activation][0])[-1]) ** 2))


def backward_to_input(fs: Layers, As: Layers, local: Local, y: np.ndarray) -> Grads:
    """(dAs, dbs, dx) for the activations ``fs``: dx = A_0^T delta_0, and delta_0 is dbs[0]."""
    dAs, dbs = backward(fs, 2.0 * (fs[-1] - y), As, local)
    return dAs, dbs, As[0].T @ dbs[0]


def gradient(x: np.ndarray, y: np.ndarray, As: Layers, bs: Layers, activation: str) -> Grads:
    function, local = ACTIVATIONS[activation]
    return backward_to_input(forward(x, As, bs, function), As, local, y)
