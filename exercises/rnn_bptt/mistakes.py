"""Wrong gradients students write for rnn_bptt, each with its hint."""

import numpy as np

from grader.exercise import Mistake
from exercises.rnn_bptt.reference import backward, gradient


def _truncated_step(dh, h, h_prev, W):
    da = dh * (1.0 - h**2)
    return da, np.outer(da, h_prev), np.zeros_like(h)


def _one_minus_tanh_step(dh, h, h_prev, W):
    da = dh * (1.0 - h)
    return da, np.outer(da, h_prev), W.T @ da


def _current_state_step(dh, h, h_prev, W):
    da = dh * (1.0 - h**2)
    return da, np.outer(da, h), W.T @ da


def _untransposed_recurrence_step(dh, h, h_prev, W):
    da = dh * (1.0 - h**2)
    return da, np.outer(da, h_prev), W @ da


def _transposed_dW_step(dh, h, h_prev, W):
    da = dh * (1.0 - h**2)
    return da, np.outer(h_prev, da), W.T @ da


def _with(step):
    def wrong(x, y, h0, U, W, V, b, c):
        return backward(x, y, h0, U, W, V, b, c, step)
    return wrong


def _mean_over_time(x, y, h0, U, W, V, b, c):
    return {name: g / len(x) for name, g in gradient(x, y, h0, U, W, V, b, c).items()}


MISTAKES = (
    Mistake("truncated BPTT",
            "h_t also feeds h_{t+1}: add the gradient W^T da_{t+1} coming back from the next step to dL/dh_t.",
            _with(_truncated_step)),
    Mistake("tanh' written as 1 - tanh",
            "The derivative of tanh(a) is 1 - tanh(a)^2: square the hidden state before subtracting it from 1.",
            _with(_one_minus_tanh_step)),
    Mistake("dW uses h_t",
            "a_t uses the previous state, W h_{t-1}, so step t adds the outer product of da_t with h_{t-1}, not h_t.",
            _with(_current_state_step)),
    Mistake("recurrence not transposed",
            "Going backwards through a_t = W h_{t-1} + ... multiplies the gradient by the transpose: "
            "W^T da_t, not W da_t.",
            _with(_untransposed_recurrence_step)),
    Mistake("dW transposed",
            "dW[i, j] pairs da_t[i] with h_{t-1}[j]: take np.outer(da_t, h_prev), in that order.",
            _with(_transposed_dW_step)),
    Mistake("mean over time",
            "The loss is a sum over the time steps, not a mean: don't divide the gradients by T.",
            _mean_over_time),
)
