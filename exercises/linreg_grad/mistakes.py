"""Wrong gradients students write for linreg_grad, each with its hint."""

import numpy as np

from exercises.linreg_grad.reference import residuals
from grader.exercise import Mistake


def _sum_not_mean(a, b, x, y):
    r = residuals(a, b, x, y)
    return float(2.0 * np.sum(x * r)), float(2.0 * np.sum(r))


def _no_two(a, b, x, y):
    r = residuals(a, b, x, y)
    return float(np.mean(x * r)), float(np.mean(r))


def _flipped(a, b, x, y):
    r = residuals(a, b, x, y)
    return float(-2.0 * np.mean(x * r)), float(-2.0 * np.mean(r))


def _swapped(a, b, x, y):
    r = residuals(a, b, x, y)
    return float(2.0 * np.mean(r)), float(2.0 * np.mean(x * r))


def _no_x(a, b, x, y):
    r = residuals(a, b, x, y)
    return float(2.0 * np.mean(r)), float(2.0 * np.mean(r))


def _product_of_means(a, b, x, y):
    r = residuals(a, b, x, y)
    return float(2.0 * np.mean(x) * np.mean(r)), float(2.0 * np.mean(r))


def _per_sample(a, b, x, y):
    r = residuals(a, b, x, y)
    return 2.0 * x * r / len(x), 2.0 * r / len(x)



def _first_sample_only(a, b, x, y):
    r = residuals(a, b, x, y)
    return float(2.0 * x[0] * r[0]), float(2.0 * r[0])


def _no_target(a, b, x, y):
    r = a * x + b
    return float(2.0 * np.mean(x * r)), float(2.0 * np.mean(r))


def _bessel(a, b, x, y):
    r = residuals(a, b, x, y)
    return float(2.0 * np.sum(x * r) / (len(x) - 1)), float(2.0 * np.sum(r) / (len(x) - 1))


def _rmse(a, b, x, y):
    r = residuals(a, b, x, y)
    root = np.sqrt(np.mean(r**2))
    return float(np.mean(x * r) / root), float(np.mean(r) / root)


MISTAKES = (
    Mistake("missing 1/n",
            "The loss is a mean over the n samples, so both partial derivatives are means too: divide the sums by n.",
            _sum_not_mean),
    Mistake("missing factor 2",
            "Differentiating the square (a x_i + b - y_i)^2 brings down a factor of 2; keep it in both derivatives.",
            _no_two),
    Mistake("flipped sign",
            "Check the sign: the derivative of (a x_i + b - y_i)^2 with respect to a is +2 x_i (a x_i + b - y_i).",
            _flipped),
    Mistake("swapped (da, db)",
            "Return the pair in the order (dL/da, dL/db): the derivative with respect to the slope comes first.",
            _swapped),
    Mistake("forgot x in da",
            "The slope multiplies x_i, so each term of dL/da carries an extra factor x_i that dL/db does not have.",
            _no_x),
    Mistake("product of means",
            "dL/da is the mean of the products x_i * residual_i, not the mean of x times the mean of the residuals.",
            _product_of_means),
    Mistake("per-sample terms returned",
            "a and b are single numbers, so their gradients are scalars: reduce the per-sample terms over the samples.",
            _per_sample),
    Mistake("only the first sample",
            "The loss averages over all n samples: sum the terms of every sample, not only the first one.",
            _first_sample_only),
    Mistake("forgot to subtract the target",
            "The residual is a x_i + b - y_i: subtract the target before multiplying.", _no_target),
    Mistake("divided by n - 1",
            "The loss divides by n, the number of samples, not by n - 1.", _bessel),
    Mistake("gradient of the root-mean-square error",
            "That is the gradient of sqrt(L), the root-mean-square error; differentiate L itself, the mean of the "
            "squared residuals, without the square root.", _rmse),
)
