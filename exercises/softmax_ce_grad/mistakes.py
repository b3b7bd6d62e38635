"""Wrong gradients students write for softmax_ce_grad, each with its hint."""

import numpy as np

from exercises.common import one_hot, sigmoid, softmax
from grader.exercise import Mistake


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



def _global_max(logits, labels):
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(logits - np.max(logits))
        return e / e.sum(axis=1, keepdims=True) - one_hot(labels, logits.shape[1])


def _clipped_logits(logits, labels):
    clipped = np.clip(logits, -100.0, 100.0)
    return softmax(clipped) - one_hot(labels, logits.shape[1])


def _gradient_of_probabilities(logits, labels):
    with np.errstate(divide="ignore", invalid="ignore"):
        return -one_hot(labels, logits.shape[1]) / softmax(logits)


def _one_hot_too_narrow(logits, labels):
    return softmax(logits)[:, : labels.max() + 1] - one_hot(labels, labels.max() + 1)


def _first_sample_only(logits, labels):
    grad = np.zeros_like(logits)
    grad[0] = softmax(logits[0]) - one_hot(labels[0], logits.shape[1])
    return grad


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
    Mistake("global maximum subtracted",
            "Subtract each row's own maximum (np.max(logits, axis=1, keepdims=True)), not the maximum of the "
            "whole batch: a row far below the batch's maximum underflows to 0 / 0.", _global_max),
    Mistake("clipped logits",
            "Clipping the logits changes the softmax; to avoid overflow, subtract each row's maximum instead.",
            _clipped_logits),
    Mistake("gradient with respect to the probabilities",
            "That is dL/dp, the gradient with respect to the probabilities; the exercise asks for the gradient "
            "with respect to the logits, softmax(o) minus the one-hot label.", _gradient_of_probabilities),
    Mistake("one-hot of the wrong width",
            "The one-hot label has C entries, one per column of logits (logits.shape[1]), not labels.max() + 1.",
            _one_hot_too_narrow),
    Mistake("only the first sample",
            "Every row of the batch has its own loss term: compute the gradient of every row, not only the first.",
            _first_sample_only),
)
