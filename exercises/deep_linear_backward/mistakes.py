"""Wrong gradients students write for deep_linear_backward, each with its hint."""

import numpy as np

from exercises.deep_linear_grad.reference import Grads, backward
from grader.exercise import Mistake


def _gradient_of_one(x, w1, w2, w3, g):
    return backward(x, np.ones(len(g)), w1, w2, w3)


def _g_as_target(x, w1, w2, w3, g):
    # the habit of deep_linear_grad: 2 (y_hat - y) / n, with g in the place of y
    return backward(x, 2.0 * (x @ w1 @ w2 @ w3 - g) / len(g), w1, w2, w3)


def _divided_by_n(x, w1, w2, w3, g):
    return backward(x, g / len(g), w1, w2, w3)


def _g_summed(x, w1, w2, w3, g):
    return backward(x, np.full(len(g), np.sum(g)), w1, w2, w3)


def _g_twice(x, w1, w2, w3, g):
    h1 = x @ w1
    h2 = h1 @ w2
    dh2 = np.outer(g, w3)
    dh1 = g[:, None] * (dh2 @ w2.T)
    return x.T @ dh1, h1.T @ dh2, h2.T @ g


def _skipped_w3(x, w1, w2, w3, g):
    # dw3 does not involve w3, so replacing w3 by ones drops it from dw1 and dw2 only
    return backward(x, g, w1, w2, np.ones_like(w3))


def _layer_below(x, w1, w2, w3, g) -> Grads:
    # acts = [x, h1, h2] read at acts[k - 1] for weight k: acts[-1] wraps round to h2 for w1
    h1 = x @ w1
    h2 = h1 @ w2
    dh2 = np.outer(g, w3)
    dh1 = dh2 @ w2.T
    return h2.T @ dh1, x.T @ dh2, h1.T @ g


def _products_reversed(x, w1, w2, w3, g):
    h1 = x @ w1
    h2 = h1 @ w2
    dh2 = np.outer(g, w3)
    return (dh2 @ w2.T).T @ x, dh2.T @ h1, g @ h2


MISTAKES = (
    Mistake("a gradient of 1 on y_hat",
            "Start back-propagation from the g you are given, not from a vector of ones: 'a gradient of 1 on "
            "y_hat' is only the textbook's example of an upstream gradient.", _gradient_of_one),
    Mistake("g taken as a target",
            "g already is dL/dy_hat: use it as the gradient on y_hat as it is; it is not a target y to build "
            "2 (y_hat - y) / n from.", _g_as_target),
    Mistake("g divided by n",
            "Do not divide g by n: it already is the whole gradient on y_hat (any 1/n of a mean is in it).",
            _divided_by_n),
    Mistake("g summed to one number",
            "g holds one gradient per sample: weight sample i's contribution by its own g_i (an outer product "
            "g w3^T for the gradient on h2), do not add g up to one number first.", _g_summed),
    Mistake("g multiplied in twice",
            "g enters once, at the top: the gradient on h2 is g w3^T, and the layers below only multiply by "
            "weights (dh1 = dh2 w2^T), not by g again.", _g_twice),
    Mistake("forgot the chain through w3",
            "y_hat multiplies x w1 w2 by w3, so the gradients of w2 and w1 must carry w3: the gradient on "
            "h2 = x w1 w2 is the outer product g w3^T.", _skipped_w3),
    Mistake("activations of the layer below",
            "Each weight's gradient uses the input of its own layer: dw3 = h2^T g, dw2 = h1^T dh2, "
            "dw1 = x^T dh1, with h1 = x w1 and h2 = h1 w2; yours use the activations one layer lower.",
            _layer_below),
    Mistake("products in the wrong order",
            "dw1 and dw2 come out transposed: a weight's gradient is (its layer's input)^T times the gradient "
            "on its layer's output, h^T dz, in that order, so that it has the weight's shape.",
            _products_reversed),
)
