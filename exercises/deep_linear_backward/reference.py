"""The weight gradients of y_hat = x w1 w2 w3 when the gradient on y_hat is a given g.

The loss L = sum_i g_i y_hat_i has exactly dL/dy_hat = g, so finite differences of it check
the back-propagation of any upstream gradient.
"""

import numpy as np

from exercises.deep_linear_grad.reference import Grads, backward


def loss(x: np.ndarray, w1: np.ndarray, w2: np.ndarray, w3: np.ndarray, g: np.ndarray) -> float:
    return float(np.sum(g * (x @ w1 @ w2 @ w3)))


def gradient(x: np.ndarray, w1: np.ndarray, w2: np.ndarray, w3: np.ndarray, g: np.ndarray) -> Grads:
    return backward(x, g, w1, w2, w3)
