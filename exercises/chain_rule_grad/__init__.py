"""chain_rule_grad: the derivative of sqrt(x^2 + exp(x^2)) + cos(x^2 + exp(x^2)), elementwise."""

from exercises.chain_rule_grad import cases, mistakes, reference
from grader.exercise import assemble

EXERCISE = assemble(
    __file__, reference, cases, mistakes,
    name="chain_rule_grad",
    title="The chain rule, by hand",
    params=("x",),
    wrt=("x",),
    returns="array",
)
