"""mse_grad: the gradient of the mean squared error with respect to the prediction."""

from exercises.mse_grad import cases, mistakes, reference
from grader.exercise import assemble

EXERCISE = assemble(
    __file__, reference, cases, mistakes,
    name="mse_grad",
    title="Gradient of the mean squared error",
    params=("y_hat", "y"),
    wrt=("y_hat",),
    returns="array",
)
