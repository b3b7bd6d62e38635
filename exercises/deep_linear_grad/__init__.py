"""deep_linear_grad: the gradients of a three-weight linear network's mean squared error."""

from exercises.deep_linear_grad import cases, mistakes, reference
from grader.exercise import assemble

EXERCISE = assemble(
    __file__, reference, cases, mistakes,
    name="deep_linear_grad",
    title="A gradient on y_hat, passed down three weights",
    params=("x", "y", "w1", "w2", "w3"),
    wrt=("w1", "w2", "w3"),
    returns="tuple",
)
