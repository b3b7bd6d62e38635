"""f(x) = sqrt(u) + cos(u) with u = x^2 + exp(x^2), and its true derivative."""

import numpy as np


def inner(x: np.ndarray) -> np.ndarray:
    """u(x) = x^2 + exp(x^2)."""
    return x**2 + np.exp(x**2)


def inner_derivative(x: np.ndarray) -> np.ndarray:
    """u'(x) = 2x + 2x exp(x^2)."""
    return 2.0 * x * (1.0 + np.exp(x**2))


def f(x: np.ndarray) -> np.ndarray:
    u = inner(x)
    return np.sqrt(u) + np.cos(u)


def loss(x: np.ndarray) -> float:
    """The sum of f over the elements, whose gradient is f'(x) elementwise."""
    return float(np.sum(f(x)))


def gradient(x: np.ndarray) -> np.ndarray:
    u = inner(x)
    return inner_derivative(x) * (0.5 / np.sqrt(u) - np.sin(u))
