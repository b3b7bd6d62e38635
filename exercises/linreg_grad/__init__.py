"""linreg_grad: the gradient of a linear regression's mean squared error with respect to its slope and intercept."""

from exercises.base import Exercise, read_statement
from exercises.linreg_grad import cases, mistakes, reference

EXERCISE = Exercise(
    name="linreg_grad",
    title="Gradient of a linear regression's loss",
    statement=read_statement(__file__),
    params=("a", "b", "x", "y"),
    wrt=("a", "b"),
    returns="tuple",
    loss=reference.loss,
    gradient=reference.gradient,
    generate_cases=cases.generate_cases,
    public_cases=cases.PUBLIC_CASES,
    mistakes=mistakes.MISTAKES,
)
