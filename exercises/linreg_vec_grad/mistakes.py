"""Wrong gradients students write for linreg_vec_grad, each with its hint."""

import numpy as np

from exercises.linreg_vec_grad.reference import residuals
from grader.exercise import Mistake


def _sum_not_mean(w, b, X, y):
    r = residuals(w, b, X, y)
    return 2.0 * X.T @ r, float(2.0 * np.sum(r))


def _no_two(w, b, X, y):
    r = residuals(w, b, X, y)
    return X.T @ r / len(y), float(np.mean(r))


def _flipped(w, b, X, y):
    r = y - (X @ w + b)
    return 2.0 / len(y) * X.T @ r, float(2.0 * np.mean(r))


def _not_transposed(w, b, X, y):
    # raises where X is not square, as the student's code does; wrong without a word where it is
    r = residuals(w, b, X, y)
    return 2.0 / len(y) * X @ r, float(2.0 * np.mean(r))


def _no_intercept(w, b, X, y):
    r = X @ w - y
    return 2.0 / len(y) * X.T @ r, float(2.0 * np.mean(r))


def _no_target(w, b, X, y):
    r = X @ w + b
    return 2.0 / len(y) * X.T @ r, float(2.0 * np.mean(r))


def _per_sample(w, b, X, y):
    r = residuals(w, b, X, y)
    return 2.0 * X * r[:, None] / len(y), 2.0 * r / len(y)


def _first_sample_only(w, b, X, y):
    r = residuals(w, b, X, y)
    return 2.0 * X[0] * r[0], float(2.0 * r[0])


def _over_the_features(w, b, X, y):
    r = residuals(w, b, X, y)
    return 2.0 * np.mean(X * r[:, None], axis=1), float(2.0 * np.mean(r))


def _product_of_means(w, b, X, y):
    r = residuals(w, b, X, y)
    return 2.0 * np.mean(X, axis=0) * np.mean(r), float(2.0 * np.mean(r))


def _divided_by_size(w, b, X, y):
    r = residuals(w, b, X, y)
    return 2.0 / X.size * X.T @ r, float(2.0 / X.size * np.sum(r))


MISTAKES = (
    Mistake("missing 1/n",
            "The loss is a mean over the n samples, so both derivatives are too: divide X.T @ r and sum(r) by n.",
            _sum_not_mean),
    Mistake("missing factor 2",
            "Differentiating the square (X_i . w + b - y_i)^2 brings down a factor of 2; keep it in both derivatives.",
            _no_two),
    Mistake("flipped sign",
            "Check the sign: the residual is the prediction minus the target, r = X @ w + b - y, not y - (X @ w + b).",
            _flipped),
    Mistake("X r instead of X^T r",
            "dL/dw needs one sum over the samples per feature, (2/n) X.T @ r of shape (d,): X @ r takes sums "
            "along the rows instead, and only runs at all when X is square.", _not_transposed),
    Mistake("forgot b in the residual",
            "The prediction includes the intercept: the residual is r = X @ w + b - y, with b in it.", _no_intercept),
    Mistake("forgot to subtract the target",
            "The residual is X @ w + b - y: subtract the target y before multiplying by X.T.", _no_target),
    Mistake("per-sample terms returned",
            "Reduce over the samples: dL/dw has the shape of w, (d,), and dL/db is one number, not one value "
            "per sample.", _per_sample),
    Mistake("only the first sample",
            "The loss averages over all n samples (rows of X): use every row, not only X[0] and y[0].",
            _first_sample_only),
    Mistake("averaged over the features",
            "Average over the samples (axis 0, the rows of X), not over the features (axis 1): dL/dw has one "
            "entry per feature, the shape of w.", _over_the_features),
    Mistake("product of means",
            "Entry j of dL/dw is the mean of the products X_ij * r_i, not the mean of column j times the mean "
            "of the residuals.", _product_of_means),
    Mistake("divided by n * d",
            "Divide by n, the number of samples (X.shape[0] or len(y)), not by X.size = n * d.", _divided_by_size),
)
