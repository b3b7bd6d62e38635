"""Numerically stable helpers shared by the exercises' references and mistakes."""

import numpy as np


def log_softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    """log softmax along ``axis``, shifted by the maximum so that exp never overflows."""
    shifted = logits - np.max(logits, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax along ``axis``, finite for logits of any magnitude."""
    return np.exp(log_softmax(logits, axis=axis))


def one_hot(labels: np.ndarray, classes: int) -> np.ndarray:
    """Rows of the identity picked by integer ``labels``: shape labels.shape + (classes,)."""
    return np.eye(classes)[labels]


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic sigmoid 1 / (1 + exp(-z)), without overflow warnings for large |z|."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))
