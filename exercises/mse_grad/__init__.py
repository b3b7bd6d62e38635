"""mse_grad: the gradient of the mean squared error with respect to the prediction."""

from exercises.base import Exercise, read_statement
from exercises.mse_grad import cases, mistakes, reference

EXERCISE = Exercise(
    name="mse_grad",
    title="Gradient of the mean squared error",
    statement=read_statement(__file__),
    params=("y_hat", "y"),
    wrt=("y_hat",),
    returns="array",
    loss=reference.loss,
    gradient=reference.gradient,
    generate_cases=cases.generate_cases,
    public_cases=cases.PUBLIC_CASES,
    mistakes=mistakes.MISTAKES,
)
