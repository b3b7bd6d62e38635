"""Wrong gradients students write for mlp_act_grad, each with its hint."""

from collections.abc import Callable

import numpy as np

from exercises.mlp_act_grad.reference import ACTIVATIONS, Grads, backward_to_input, gradient, tanh_derivative
from exercises.mlp_grad.reference import Layers, Local, forward, sigmoid_derivative
from grader.exercise import Mistake


def _with_derivatives(**derivatives: Local) -> Callable[..., Grads]:
    """The reference's back-propagation with some activations' derivatives replaced, by activation name."""
    def wrong(x: np.ndarray, y: np.ndarray, As: Layers, bs: Layers, activation: str) -> Grads:
        function, local = ACTIVATIONS[activation]
        return backward_to_input(forward(x, As, bs, function), As, derivatives.get(activation, local), y)
    return wrong


def _no_two(x, y, As, bs, activation):
    dAs, dbs, dx = gradient(x, y, As, bs, activation)
    return [dA / 2.0 for dA in dAs], [db / 2.0 for db in dbs], dx / 2.0


def _transposed_dA(x, y, As, bs, activation):
    dAs, dbs, dx = gradient(x, y, As, bs, activation)
    return [dA.T for dA in dAs], dbs, dx


def _dx_is_delta(x, y, As, bs, activation):
    dAs, dbs, _ = gradient(x, y, As, bs, activation)
    return dAs, dbs, dbs[0]


def _dx_zero(x, y, As, bs, activation):
    dAs, dbs, _ = gradient(x, y, As, bs, activation)
    return dAs, dbs, np.zeros_like(x)


def _stops_before_first_layer(x: np.ndarray, y: np.ndarray, As: Layers, bs: Layers, activation: str) -> Grads:
    # for i in range(K - 1, 0, -1): layer 0 keeps its zeros, and dx is left at dL/df_1
    function, local = ACTIVATIONS[activation]
    fs = forward(x, As, bs, function)
    dAs = [np.zeros_like(A) for A in As]
    dbs = [np.zeros_like(b) for b in bs]
    g = 2.0 * (fs[-1] - y)
    for i in range(len(As) - 1, 0, -1):
        delta = g * local(fs[i + 1], i)
        dAs[i], dbs[i] = np.outer(delta, fs[i]), delta
        g = As[i].T @ delta
    return dAs, dbs, g


MISTAKES = (
    Mistake("sigmoid and tanh derivatives swapped",
            "The two derivatives are swapped: sigma'(z) = f (1 - f) with f = sigma(z), and "
            "tanh'(z) = 1 - f^2 with f = tanh(z).",
            _with_derivatives(sigmoid=tanh_derivative, tanh=sigmoid_derivative)),
    Mistake("tanh' written as sigma'",
            "For tanh the derivative is 1 - tanh(z)^2 = 1 - f^2, not f (1 - f): that one is the sigmoid's.",
            _with_derivatives(tanh=sigmoid_derivative)),
    Mistake("sigma' written as tanh'",
            "For the sigmoid the derivative is sigma(z) (1 - sigma(z)) = f (1 - f), not 1 - f^2: that one is tanh's.",
            _with_derivatives(sigmoid=tanh_derivative)),
    Mistake("ReLU' written as its output",
            "The ReLU's derivative is the indicator of z > 0 (1 where the unit is on, 0 where it is off), "
            "not max(z, 0) itself: multiply by (f > 0), not by f.",
            _with_derivatives(relu=lambda f, layer: f)),
    Mistake("ReLU derivative left out",
            "A unit that is off (z < 0) passes no gradient back: multiply by the ReLU's derivative, the indicator "
            "(z > 0), at every ReLU layer.",
            _with_derivatives(relu=lambda f, layer: np.ones_like(f))),
    Mistake("missing factor 2",
            "The loss has no 1/2, so dL/df_K = 2 (f_K - y): keep the factor 2 from the square.", _no_two),
    Mistake("dAs[i] transposed",
            "dAs[i] must have the shape of As[i], (d_{i+1}, d_i): take the outer product of delta with f_i, "
            "in that order.", _transposed_dA),
    Mistake("dx as the first layer's delta",
            "dx is the gradient passed below the first layer: A_0^T delta_0, with delta_0 = dL/df_1 times the "
            "activation's derivative; delta_0 itself is dbs[0].", _dx_is_delta),
    Mistake("dx left at zero",
            "x is an input of the loss like the weights: its gradient is A_0^T delta_0, the gradient each layer "
            "passes down, taken once more below the first layer.", _dx_zero),
    Mistake("the loop stops before the first layer",
            "The backward loop must reach layer 0 (range(K - 1, -1, -1)): yours leaves dAs[0] and dbs[0] at zero "
            "and returns dL/df_1 as dx.", _stops_before_first_layer),
)
