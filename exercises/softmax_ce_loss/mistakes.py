"""Wrong values students compute for softmax_ce_loss, each with its hint."""

import numpy as np

from exercises.common import log_softmax, one_hot, softmax
from grader.exercise import Mistake


def _true_class(values: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each row's entry at its label."""
    return values[np.arange(values.shape[0]), labels]


def _no_exponential(logits, labels):
    # the seed answer's softmax: y_hat_i = o_i / sum_j o_j
    with np.errstate(divide="ignore", invalid="ignore"):
        p = logits / logits.sum(axis=1, keepdims=True)
        return float(-np.mean(np.log(_true_class(p, labels))))


def _naive_exp(logits, labels):
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        e = np.exp(logits)
        return float(-np.mean(np.log(_true_class(e / e.sum(axis=1, keepdims=True), labels))))


def _log_of_probabilities(logits, labels):
    with np.errstate(divide="ignore"):
        return float(-np.mean(np.log(_true_class(softmax(logits), labels))))


def _sum_not_mean(logits, labels):
    return float(-np.sum(_true_class(log_softmax(logits), labels)))


def _no_minus(logits, labels):
    return float(np.mean(_true_class(log_softmax(logits), labels)))


def _labels_shifted(logits, labels):
    # labels read as counted from 1: label 0 becomes -1, the last class
    return float(-np.mean(_true_class(log_softmax(logits), labels - 1)))


def _every_row_every_label(logits, labels):
    return float(-np.mean(log_softmax(logits)[:, labels]))


def _global_max(logits, labels):
    with np.errstate(under="ignore", divide="ignore", invalid="ignore"):
        e = np.exp(logits - np.max(logits))
        return float(-np.mean(np.log(_true_class(e / e.sum(axis=1, keepdims=True), labels))))


def _max_not_added_back(logits, labels):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_sum = np.log(np.sum(np.exp(shifted), axis=1))
    return float(np.mean(log_sum - _true_class(logits, labels)))


def _clipped_probabilities(logits, labels):
    return float(-np.mean(np.log(np.clip(_true_class(softmax(logits), labels), 1e-12, 1.0))))


def _mean_over_every_entry(logits, labels):
    return float(-np.mean(one_hot(labels, logits.shape[1]) * log_softmax(logits)))


MISTAKES = (
    Mistake("no exponential: o_i / sum_j o_j",
            "softmax(o)_i is exp(o_i) / sum_j exp(o_j): o_i / sum_j o_j is not a probability (logits can be "
            "negative, and so can the ratio and its log's argument). Exponentiate first.", _no_exponential),
    Mistake("naive exp overflows",
            "exp overflows to inf for logits near +1000 (and underflows to 0 near -1000), giving inf / inf or "
            "0 / 0 = NaN: subtract each row's maximum m before exponentiating, and add m back after the log.",
            _naive_exp),
    Mistake("log of an underflowed probability",
            "The true class's probability underflows to 0 when its logit is far below the row's maximum, and "
            "log(0) = -inf: take the log before it can underflow, -log softmax(o)_y = m + log sum_j exp(o_j - m) "
            "- o_y.", _log_of_probabilities),
    Mistake("sum instead of mean",
            "The loss is a mean over the batch: divide the sum of the N rows' terms by N.", _sum_not_mean),
    Mistake("missing minus sign",
            "The loss is the negative log probability: log softmax is at most 0, so -log softmax makes the loss "
            "positive.", _no_minus),
    Mistake("labels shifted by one",
            "You take the log probability of the wrong class: labels count from 0, so row n's true class is "
            "column labels[n] itself, not labels[n] - 1.", _labels_shifted),
    Mistake("fancy index on every row",
            "log_p[:, labels] picks every label's column in every row, an N x N array; pick one entry per row "
            "with log_p[np.arange(N), labels].", _every_row_every_label),
    Mistake("global maximum subtracted",
            "Subtract each row's own maximum (np.max(logits, axis=1, keepdims=True)), not the maximum of the "
            "whole batch: a row far below the batch's maximum underflows to 0 / 0.", _global_max),
    Mistake("maximum not added back",
            "After shifting by the row's maximum m, log sum_j exp(o_j) = m + log sum_j exp(o_j - m): add m "
            "back (or subtract it from o_y as well).", _max_not_added_back),
    Mistake("probabilities clipped",
            "Clipping the probability (or adding an epsilon) before the log caps each row's loss near 27.6 and "
            "hides the true value; compute the log probability directly from the logits instead.",
            _clipped_probabilities),
    Mistake("mean over every entry",
            "Averaging one_hot * log_p over all N * C entries divides by C too many: sum over the classes, then "
            "take the mean over the N rows.", _mean_over_every_entry),
)
