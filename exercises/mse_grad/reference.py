"""The MSE loss and its gradient with respect to the prediction."""

import numpy as np


def loss(y_hat: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((y - y_hat) ** 2))


def gradient(y_hat: np.ndarray, y: np.ndarray) -> np.ndarray:
    return 2.0 * (y_hat - y) / y.shape[0]
