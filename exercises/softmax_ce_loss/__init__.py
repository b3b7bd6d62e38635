"""softmax_ce_loss: the value of the mean softmax cross-entropy of a batch, finite for logits of any magnitude."""

from exercises.softmax_ce_loss import cases, mistakes, reference
from grader.exercise import assemble

EXERCISE = assemble(
    __file__, reference, cases, mistakes,
    name="softmax_ce_loss",
    title="The softmax cross-entropy loss, computed stably",
    params=("logits", "labels"),
    wrt=(),
    returns="value",
)
