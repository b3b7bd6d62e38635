"""softmax_ce_grad: the gradient of the summed softmax cross-entropy with respect to the logits."""

from exercises.base import Exercise, read_statement
from exercises.softmax_ce_grad import cases, mistakes, reference

EXERCISE = Exercise(
    name="softmax_ce_grad",
    title="Gradient of the softmax cross-entropy",
    statement=read_statement(__file__),
    params=("logits", "labels"),
    wrt=("logits",),
    returns="array",
    loss=reference.loss,
    gradient=reference.gradient,
    generate_cases=cases.generate_cases,
    public_cases=cases.PUBLIC_CASES,
    mistakes=mistakes.MISTAKES,
)
