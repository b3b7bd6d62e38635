"""deep_linear_grad: the gradients of a three-weight linear network's mean squared error."""

from exercises.base import Exercise, read_statement
from exercises.deep_linear_grad import cases, mistakes, reference

EXERCISE = Exercise(
    name="deep_linear_grad",
    title="A gradient on y_hat, passed down three weights",
    statement=read_statement(__file__),
    params=("x", "y", "w1", "w2", "w3"),
    wrt=("w1", "w2", "w3"),
    returns="tuple",
    loss=reference.loss,
    gradient=reference.gradient,
    generate_cases=cases.generate_cases,
    public_cases=cases.PUBLIC_CASES,
    mistakes=mistakes.MISTAKES,
)
