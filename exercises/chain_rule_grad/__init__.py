"""chain_rule_grad: the derivative of sqrt(x^2 + exp(x^2)) + cos(x^2 + exp(x^2)), elementwise."""

from exercises.base import Exercise, read_statement
from exercises.chain_rule_grad import cases, mistakes, reference

EXERCISE = Exercise(
    name="chain_rule_grad",
    title="The chain rule, by hand",
    statement=read_statement(__file__),
    params=("x",),
    wrt=("x",),
    returns="array",
    loss=reference.loss,
    gradient=reference.gradient,
    generate_cases=cases.generate_cases,
    public_cases=cases.PUBLIC_CASES,
    mistakes=mistakes.MISTAKES,
)
