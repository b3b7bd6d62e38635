"""The MSE of y_hat = x w1 w2 w3, and its gradients with respect to the three weights."""

import numpy as np

Grads = tuple[np.ndarray, np.ndarray, np.ndarray]


def loss(x: np.ndarray, y: np.ndarray, w1: np.ndarray, w2: np.ndarray, w3: np.ndarray) -> float:
    return float(np.mean((y - x @ w1 @ w2 @ w3) ** 2))


def backward(x: np.ndarray, g: np.ndarray, w1: np.ndarray, w2: np.ndarray, w3: np.ndarray) -> Grads:
    """The weight gradients for the gradient ``g`` put on y_hat."""
    h1 = x @ w1
    h2 = h1 @ w2
    dh2 = np.outer(g, w3)
    dh1 = dh2 @ w2.T
    return x.T @ dh1, h1.T @ dh2, h2.T @ g


def output_gradient(x: np.ndarray, y: np.ndarray, w1: np.ndarray, w2: np.ndarray, w3: np.ndarray) -> np.ndarray:
    """dL/dy_hat = 2 (y_hat - y) / n."""
    return 2.0 * (x @ w1 @ w2 @ w3 - y) / len(y)


def gradient(x: np.ndarray, y: np.ndarray, w1: np.ndarray, w2: np.ndarray, w3: np.ndarray) -> Grads:
    return backward(x, output_gradient(x, y, w1, w2, w3), w1, w2, w3)
