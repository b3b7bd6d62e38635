"""Wrong gradients students write for softmax_ce_grad, each with its hint."""

import numpy as np

from grader.exercise import Mistake
from exercises.common import one_hot, sigmoid, softmax


def _naive_exp(logits, labels):
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True) - one_hot(labels, logits.shape[1])


def _mean_over_batch(logits, labels):
    return (softmax(logits) - one_hot(labels, logits.shape[1])) / logits.shape[0]


def _wrong_axis(logits, labels):
    return softmax(logits, axis=0) - one_hot(labels, logits.shape[1])


def _no_one_hot(logits, labels):
    return softmax(logits)


def _flipped(logits, labels):
    return one_hot(labels, logits.shape[1]) - softmax(logits)


def _columns_for_every_row(logits, labels):
    grad = softmax(logits)
    grad[:, labels] -= 1.0
    return grad


def _sigmoid_not_softmax(logits, labels):
    return sigmoid(logits) - one_hot(labels, logits.shape[1])


MISTAKES = (
    Mistake("naive exp overflows",
            "exp overflows for large logits: subtract each row's maximum before exponentiating; "
            "the softmax does not change.", _naive_exp),
    Mistake("mean over the batch",
            "The loss is a sum over the batch, not a mean: don't divide the gradient by the number of rows N.",
            _mean_over_batch),
    Mistake("softmax over the wrong axis",
            "Normalise each row (one sample's C class scores) with axis=1, not each column across the batch.",
            _wrong_axis),
    Mistake("forgot the one-hot",
            "dL/do_i is softmax(o)_i minus 1 for the true class: subtract the one-hot label from the probabilities.",
            _no_one_hot),
    Mistake("flipped sign",
            "Check the sign: the gradient is the probabilities minus the one-hot labels, not the other way round.",
            _flipped),
    Mistake("fancy index on every row",
            "grad[:, labels] touches every row at every label's column; index one entry per row with "
            "grad[np.arange(N), labels].", _columns_for_every_row),
    Mistake("sigmoid instead of softmax",
            "The probabilities come from a softmax over the row, which couples the classes, not from an "
            "elementwise sigmoid.", _sigmoid_not_softmax),
)
