"""linreg_vec_grad: the gradient of a multivariate linear regression's mean squared error with respect to its
weights and intercept."""

from exercises.linreg_vec_grad import cases, mistakes, reference
from grader.exercise import assemble

EXERCISE = assemble(
    __file__, reference, cases, mistakes,
    name="linreg_vec_grad",
    title="Gradient of a linear regression's loss, in d dimensions",
    params=("w", "b", "X", "y"),
    wrt=("w", "b"),
    returns="tuple",
)
