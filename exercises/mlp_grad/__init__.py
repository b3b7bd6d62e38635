"""mlp_grad: back-propagation through a stack of sigmoid layers with a sum-of-squares loss."""

from exercises.base import Exercise, read_statement
from exercises.mlp_grad import cases, mistakes, reference

EXERCISE = Exercise(
    name="mlp_grad",
    title="Gradients in a deep sigmoid network",
    statement=read_statement(__file__),
    params=("x", "y", "As", "bs"),
    wrt=("As", "bs"),
    returns="tuple",
    loss=reference.loss,
    gradient=reference.gradient,
    generate_cases=cases.generate_cases,
    public_cases=cases.PUBLIC_CASES,
    mistakes=mistakes.MISTAKES,
)
