"""Wrong derivatives students write for chain_rule_grad, each with its hint."""

import numpy as np

from exercises.chain_rule_grad.reference import f, gradient, inner, inner_derivative
from grader.exercise import Mistake


def _printed_typo(x):
    # the derivation as printed in the source text: x instead of x^2 under the square root
    du = inner_derivative(x)
    return du / (2.0 * np.sqrt(x + np.exp(x**2))) - np.sin(inner(x)) * du


def _no_inner_2x(x):
    u, du = inner(x), 2.0 * x + np.exp(x**2)
    return du * (0.5 / np.sqrt(u) - np.sin(u))


def _cos_sign(x):
    u = inner(x)
    return inner_derivative(x) * (0.5 / np.sqrt(u) + np.sin(u))


def _sqrt_without_half(x):
    u = inner(x)
    return inner_derivative(x) * (1.0 / np.sqrt(u) - np.sin(u))


def _cos_without_chain(x):
    u = inner(x)
    return inner_derivative(x) * 0.5 / np.sqrt(u) - np.sin(u)


def _function_not_derivative(x):
    return f(x)



def _product_not_sum(x):
    u = inner(x)
    return (2.0 * x) * (2.0 * x * np.exp(x**2)) * (0.5 / np.sqrt(u) - np.sin(u))


def _sqrt_power_rule(x):
    u = inner(x)
    return inner_derivative(x) * (0.5 * np.sqrt(u) - np.sin(u))



def _inner_derivative_only(x):
    return inner_derivative(x)


def _return_in_loop(x):
    grad = np.zeros_like(x)
    grad.flat[0] = gradient(x.flat[0])
    return grad


MISTAKES = (
    Mistake("printed typo in the denominator",
            "The square root's derivative keeps its own argument: the denominator is 2 sqrt(x^2 + exp(x^2)), "
            "with x squared.", _printed_typo),
    Mistake("forgot the inner 2x of exp(x^2)",
            "exp(x^2) is itself a composition: its derivative is 2x exp(x^2), not exp(x^2).", _no_inner_2x),
    Mistake("sign of cos'",
            "The derivative of cos(u) is -sin(u): the cosine term enters the derivative with a minus sign.",
            _cos_sign),
    Mistake("sqrt' without the 1/2",
            "The derivative of sqrt(u) is 1 / (2 sqrt(u)): keep the factor 1/2.", _sqrt_without_half),
    Mistake("chain rule skipped in the cos term",
            "cos is applied to u(x), not to x: multiply -sin(u) by du/dx as well.", _cos_without_chain),
    Mistake("returned f(x)",
            "You returned the value of f itself; the exercise asks for its derivative f'(x).",
            _function_not_derivative),
    Mistake("product where the chain rule adds",
            "u = x^2 + exp(x^2) is a sum: its derivative is the sum 2x + 2x exp(x^2), not the product.",
            _product_not_sum),
    Mistake("power rule on the square root",
            "sqrt(u) = u^(1/2), so its derivative is (1/2) u^(-1/2) = 1 / (2 sqrt(u)): the exponent drops by one.",
            _sqrt_power_rule),
    Mistake("returned u'(x) only",
            "u'(x) is only the inner factor of the chain rule: multiply it by the outer derivative "
            "1 / (2 sqrt(u)) - sin(u).", _inner_derivative_only),
    Mistake("return inside the loop",
            "Only the first entry has its derivative: the `return` sits inside the loop over the entries; "
            "move it after the loop.", _return_in_loop),
)
