"""linreg_grad: the gradient of a linear regression's mean squared error with respect to its slope and intercept."""

from exercises.linreg_grad import cases, mistakes, reference
from grader.exercise import assemble

EXERCISE = assemble(
    __file__, reference, cases, mistakes,
    name="linreg_grad",
    title="Gradient of a linear regression's loss",
    params=("a", "b", "x", "y"),
    wrt=("a", "b"),
    returns="tuple",
)
