"""Wrong gradients students write for mlp_grad, each with its hint."""

import numpy as np

from exercises.common import sigmoid
from exercises.mlp_grad.reference import backward, forward, gradient, sigmoid_derivative
from grader.exercise import Mistake


def _sigma_as_derivative(x, y, As, bs):
    fs = forward(x, As, bs)
    return backward(fs, 2.0 * (fs[-1] - y), As, lambda f, i: f)


def _derivative_of_output(x, y, As, bs):
    fs = forward(x, As, bs)
    return backward(fs, 2.0 * (fs[-1] - y), As, lambda f, i: sigmoid(f) * (1.0 - sigmoid(f)))


def _no_two(x, y, As, bs):
    fs = forward(x, As, bs)
    return backward(fs, fs[-1] - y, As, sigmoid_derivative)


def _flipped(x, y, As, bs):
    fs = forward(x, As, bs)
    return backward(fs, 2.0 * (y - fs[-1]), As, sigmoid_derivative)


def _output_layer_only(x, y, As, bs):
    fs = forward(x, As, bs)
    last = len(As) - 1
    return backward(fs, 2.0 * (fs[-1] - y), As, lambda f, i: sigmoid_derivative(f, i) if i == last else 1.0)


def _printed_sigmoid(x, y, As, bs):
    # sigma(z) = 1 / (1 + e^z) as printed in the source text, differentiated correctly
    fs = forward(x, As, bs, activation=lambda z: sigmoid(-z))
    return backward(fs, 2.0 * (fs[-1] - y), As, lambda f, i: -f * (1.0 - f))


def _transposed_dA(x, y, As, bs):
    dAs, dbs = gradient(x, y, As, bs)
    return [dA.T for dA in dAs], dbs



def _pre_activation(x, y, As, bs):
    fs = forward(x, As, bs)
    return backward(fs, 2.0 * (fs[-1] - y), As, lambda f, i: np.log(f / (1.0 - f)) * (1.0 - np.log(f / (1.0 - f))))


def _not_propagated(x, y, As, bs):
    dAs, dbs = gradient(x, y, As, bs)
    last = len(As) - 1
    return ([dA if i == last else np.zeros_like(dA) for i, dA in enumerate(dAs)],
            [db if i == last else np.zeros_like(db) for i, db in enumerate(dbs)])


def _no_target(x, y, As, bs):
    fs = forward(x, As, bs)
    return backward(fs, 2.0 * fs[-1], As, sigmoid_derivative)


def _no_activation_derivative(x, y, As, bs):
    fs = forward(x, As, bs)
    return backward(fs, 2.0 * (fs[-1] - y), As, lambda f, i: 1.0)


MISTAKES = (
    Mistake("sigma' written as sigma",
            "The sigmoid's derivative is sigma(z) (1 - sigma(z)), not sigma(z): multiply by (1 - f) as well.",
            _sigma_as_derivative),
    Mistake("sigma' applied to the output",
            "f_{i+1} already is sigma(z): the derivative is f (1 - f); applying sigma again to f computes "
            "sigma'(f) instead.", _derivative_of_output),
    Mistake("missing factor 2",
            "The loss has no 1/2, so dL/df_K = 2 (f_K - y): keep the factor 2 from the square.", _no_two),
    Mistake("flipped sign",
            "Check the sign of the first step: dL/df_K = 2 (f_K - y), not 2 (y - f_K).", _flipped),
    Mistake("activation derivative only at the output",
            "Every layer has a sigmoid: multiply by f (1 - f) in the hidden layers too, not only in the last one.",
            _output_layer_only),
    Mistake("sigmoid with e^{+z}",
            "The logistic sigmoid is 1 / (1 + exp(-z)), with a minus sign in the exponent.", _printed_sigmoid),
    Mistake("dAs[i] transposed",
            "dAs[i] must have the shape of As[i], (d_{i+1}, d_i): take the outer product of delta with f_i, "
            "in that order.", _transposed_dA),
    Mistake("sigma' applied to the pre-activation",
            "sigma'(z) = f (1 - f) with f = sigma(z): use the layer's output f, not z itself, in f (1 - f).",
            _pre_activation),
    Mistake("not propagated to earlier layers",
            "The earlier layers' gradients are not zero: pass the gradient back with As[i].T @ delta and "
            "repeat the step for every layer.", _not_propagated),
    Mistake("forgot to subtract the target",
            "dL/df_K = 2 (f_K - y) depends on the error: subtract the target y from the output.", _no_target),
    Mistake("no activation derivative",
            "Each layer applies a sigmoid: multiply the gradient by its derivative f (1 - f) at every layer "
            "before passing it to the weights.", _no_activation_derivative),
)
