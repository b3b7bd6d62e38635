"""Wrong gradients students write for mse_grad, each with its hint."""

import numpy as np

from grader.exercise import Mistake


def _no_mean(y_hat, y):
    return 2.0 * (y_hat - y)


def _no_two(y_hat, y):
    return (y_hat - y) / y.shape[0]


def _flipped(y_hat, y):
    return 2.0 * (y - y_hat) / y.shape[0]


def _half_squared(y_hat, y):
    return y_hat - y


def _loss_not_gradient(y_hat, y):
    return (y - y_hat) ** 2 / y.shape[0]


def _scalar_mean(y_hat, y):
    return np.full_like(y_hat, 2.0 * np.mean(y_hat - y))



def _no_target(y_hat, y):
    return 2.0 * y_hat / y.shape[0]


def _bessel(y_hat, y):
    return 2.0 * (y_hat - y) / (y.shape[0] - 1)


def _rmse(y_hat, y):
    return (y_hat - y) / (y.shape[0] * np.sqrt(np.mean((y_hat - y) ** 2)))


def _integer_buffer(y_hat, y):
    grad = np.zeros(y.shape[0], dtype=np.int64)
    grad[:] = 2.0 * (y_hat - y) / y.shape[0]
    return grad


MISTAKES = (
    Mistake("missing 1/n", "The loss is a mean: keep the factor 1/n from the loss in the gradient.", _no_mean),
    Mistake("missing factor 2",
            "d/dx (x^2) = 2x: the square brings down a factor of 2.", _no_two),
    Mistake("flipped sign",
            "Differentiate with respect to y_hat, not y: d/dy_hat (y - y_hat)^2 = 2 (y_hat - y).", _flipped),
    Mistake("half-MSE gradient without 1/n",
            "That is the gradient of (1/2)(y_hat - y)^2 for one sample; this loss has no 1/2 and is a mean over n.",
            _half_squared),
    Mistake("returned the loss terms",
            "You returned the per-sample loss, not its derivative.", _loss_not_gradient),
    Mistake("averaged the gradient",
            "Return one gradient entry per prediction; don't average them into a single number.", _scalar_mean),
    Mistake("forgot to subtract the target",
            "The gradient depends on the error y_hat - y, not on the prediction alone: subtract the target.",
            _no_target),
    Mistake("divided by n - 1",
            "The loss divides by n, the number of samples, not by n - 1: this is a mean, not a sample variance.",
            _bessel),
    Mistake("gradient of the root-mean-square error",
            "That is the gradient of sqrt(L), the root-mean-square error; differentiate L itself, without the "
            "square root.", _rmse),
    Mistake("integer buffer",
            "Your values are rounded towards zero: the array you fill has an integer dtype. Create it as float "
            "(np.zeros(n) or np.zeros_like(y_hat, dtype=float)).", _integer_buffer),
)
