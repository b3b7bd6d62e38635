"""deep_linear_backward: the weight gradients of a three-weight linear network for a given gradient on y_hat."""

from exercises.deep_linear_backward import cases, mistakes, reference
from grader.exercise import assemble

EXERCISE = assemble(
    __file__, reference, cases, mistakes,
    name="deep_linear_backward",
    title="Back-propagating an upstream gradient through three weights",
    params=("x", "w1", "w2", "w3", "g"),
    wrt=("w1", "w2", "w3"),
    returns="tuple",
)
