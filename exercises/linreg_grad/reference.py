"""The mean squared error of the line a * x + b, and its gradient with respect to (a, b)."""

import numpy as np


def residuals(a: float, b: float, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Prediction minus target for every sample."""
    return a * x + b - y


def loss(a: float, b: float, x: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(residuals(a, b, x, y) ** 2))


def gradient(a: float, b: float, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    r = residuals(a, b, x, y)
    return float(2.0 * np.mean(x * r)), float(2.0 * np.mean(r))
