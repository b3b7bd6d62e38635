"""Wrong gradients students write for rnn_bptt, each with its hint."""

import numpy as np

from exercises.common import one_hot, softmax
from exercises.rnn_bptt.reference import backward, exact_step, forward, gradient
from grader.exercise import Mistake


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



def _truncated_after(steps):
    """BPTT that carries each time step's loss back through at most ``steps`` steps."""
    def wrong(x, y, h0, U, W, V, b, c):
        hs, o = forward(x, h0, U, W, V, b, c)
        do = softmax(o) - one_hot(y, V.shape[0])
        grads = {"U": np.zeros_like(U), "W": np.zeros_like(W), "V": do.T @ hs[1:], "b": np.zeros_like(b),
                 "c": do.sum(axis=0)}
        for s in range(len(x)):
            dh = V.T @ do[s]
            for t in range(s, max(s - steps, -1), -1):
                da = dh * (1.0 - hs[t + 1] ** 2)
                grads["W"] += np.outer(da, hs[t])
                grads["U"] += np.outer(da, x[t])
                grads["b"] += da
                dh = W.T @ da
        return grads
    return wrong


def _last_step_only(x, y, h0, U, W, V, b, c):
    return gradient(x[-1:], y[-1:], forward(x[:-1], h0, U, W, V, b, c)[0][-1], U, W, V, b, c)



def _previous_input(x, y, h0, U, W, V, b, c):
    """True BPTT, except that step t pairs da_t with x[t - 1] in dU (x[-1] at the first step)."""
    das = []

    def recording_step(dh, h, h_prev, W_):
        da, dW_t, dh_prev = exact_step(dh, h, h_prev, W_)
        das.append(da)
        return da, dW_t, dh_prev

    grads = backward(x, y, h0, U, W, V, b, c, recording_step)
    grads["U"] = sum(np.outer(da, x[t - 1]) for t, da in zip(range(len(x) - 1, -1, -1), das, strict=True))
    return grads


def _no_one_hot(x, y, h0, U, W, V, b, c):
    """True BPTT from the probabilities themselves: the one-hot label never subtracted."""
    hs, o = forward(x, h0, U, W, V, b, c)
    do = softmax(o)
    grads = {"U": np.zeros_like(U), "W": np.zeros_like(W), "V": do.T @ hs[1:], "b": np.zeros_like(b),
             "c": do.sum(axis=0)}
    dh_next = np.zeros_like(h0)
    for t in range(len(x) - 1, -1, -1):
        da, dW_t, dh_next = exact_step(V.T @ do[t] + dh_next, hs[t + 1], hs[t], W)
        grads["W"] += dW_t
        grads["U"] += np.outer(da, x[t])
        grads["b"] += da
    return grads


def _no_tanh_derivative_step(dh, h, h_prev, W):
    return dh, np.outer(dh, h_prev), W.T @ dh


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
    Mistake("BPTT truncated after a few steps",
            "Carry each step's gradient back through every earlier step, down to t = 1: the loss at step t "
            "depends on all the inputs before it, however far back.", _truncated_after(8)),
    Mistake("only the last time step",
            "The loss sums over all T steps: every step's output contributes to the gradients, not only the last.",
            _last_step_only),
    Mistake("dU uses the previous input",
            "a_t = b + W h_{t-1} + U x_t uses the input of the same step: step t adds np.outer(da_t, x_t) to dU, "
            "not x_{t-1}.", _previous_input),
    Mistake("forgot the one-hot",
            "The output gradient is softmax(o_t) minus the one-hot vector of y_t: subtract 1 at the true class.",
            _no_one_hot),
    Mistake("no tanh derivative",
            "h_t = tanh(a_t): multiply dL/dh_t by tanh'(a_t) = 1 - h_t^2 to get dL/da_t before using it.",
            _with(_no_tanh_derivative_step)),
)
