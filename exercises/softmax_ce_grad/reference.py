"""The softmax cross-entropy summed over a batch, and its gradient with respect to the logits."""

import numpy as np

from exercises.common import log_softmax, one_hot, softmax


def loss(logits: np.ndarray, labels: np.ndarray) -> float:
    rows = np.arange(logits.shape[0])
    return float(-np.sum(log_softmax(logits)[rows, labels]))


def gradient(logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
    return softmax(logits) - one_hot(labels, logits.shape[1])
