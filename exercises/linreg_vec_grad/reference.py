"""The mean squared error of the linear model X @ w + b, and its gradient with respect to (w, b)."""

import numpy as np


def residuals(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Prediction minus target for every sample (row of X)."""
    return X @ w + b - y


def loss(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(residuals(w, b, X, y) ** 2))


def gradient(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    r = residuals(w, b, X, y)
    n = X.shape[0]
    return 2.0 / n * (X.T @ r), float(2.0 / n * np.sum(r))
