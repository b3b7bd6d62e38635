"""softmax_ce_grad: the gradient of the summed softmax cross-entropy with respect to the logits."""

from exercises.softmax_ce_grad import cases, mistakes, reference
from grader.exercise import assemble

EXERCISE = assemble(
    __file__, reference, cases, mistakes,
    name="softmax_ce_grad",
    title="Gradient of the softmax cross-entropy",
    params=("logits", "labels"),
    wrt=("logits",),
    returns="array",
)
