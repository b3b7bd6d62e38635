"""Wrong gradients students write for deep_linear_grad, each with its hint."""

import numpy as np

from exercises.deep_linear_grad.reference import backward, gradient, output_gradient
from grader.exercise import Mistake


def _sum_not_mean(x, y, w1, w2, w3):
    return backward(x, output_gradient(x, y, w1, w2, w3) * len(y), w1, w2, w3)


def _no_two(x, y, w1, w2, w3):
    return backward(x, output_gradient(x, y, w1, w2, w3) / 2.0, w1, w2, w3)


def _flipped(x, y, w1, w2, w3):
    return backward(x, -output_gradient(x, y, w1, w2, w3), w1, w2, w3)


def _gradient_of_one(x, y, w1, w2, w3):
    return backward(x, np.ones(len(y)), w1, w2, w3)


def _skipped_w3(x, y, w1, w2, w3):
    # dw3 does not involve w3, so replacing w3 by ones drops it from dw1 and dw2 only
    return backward(x, output_gradient(x, y, w1, w2, w3), w1, w2, np.ones_like(w3))


def _transposed_dw2(x, y, w1, w2, w3):
    dw1, dw2, dw3 = gradient(x, y, w1, w2, w3)
    return dw1, dw2.T, dw3



def _no_target(x, y, w1, w2, w3):
    return backward(x, output_gradient(x, np.zeros_like(y), w1, w2, w3), w1, w2, w3)


def _first_sample_only(x, y, w1, w2, w3):
    g = np.zeros(len(y))
    g[0] = output_gradient(x, y, w1, w2, w3)[0]
    return backward(x, g, w1, w2, w3)


MISTAKES = (
    Mistake("missing 1/n",
            "The loss is a mean over the n samples: the gradient on y_hat is 2 (y_hat - y) / n, with the 1/n.",
            _sum_not_mean),
    Mistake("missing factor 2",
            "The square (y_i - y_hat_i)^2 brings down a factor of 2 into the gradient on y_hat.", _no_two),
    Mistake("flipped sign",
            "Check the sign: dL/dy_hat is 2 (y_hat - y) / n, prediction minus target.", _flipped),
    Mistake("a gradient of 1 on y_hat",
            "Start back-propagation from dL/dy_hat = 2 (y_hat - y) / n, not from a vector of ones: "
            "'a gradient of 1' is only the illustration's assumption.", _gradient_of_one),
    Mistake("forgot the chain through w3",
            "y_hat multiplies x w1 w2 by w3, so the gradients of w2 and w1 must carry w3: "
            "the gradient on x w1 w2 is the outer product of dL/dy_hat with w3.", _skipped_w3),
    Mistake("dw2 transposed",
            "dw2 must have the shape of w2, (d1, d2): it is (x w1)^T times the gradient on x w1 w2, in that order.",
            _transposed_dw2),
    Mistake("forgot to subtract the target",
            "dL/dy_hat = 2 (y_hat - y) / n depends on the error: subtract the target y.", _no_target),
    Mistake("only the first sample",
            "The loss averages over all n samples: every row of x contributes to the gradients, not only the first.",
            _first_sample_only),
)
