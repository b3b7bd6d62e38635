"""mlp_grad: back-propagation through a stack of sigmoid layers with a sum-of-squares loss."""

from exercises.mlp_grad import cases, mistakes, reference
from grader.exercise import assemble

EXERCISE = assemble(
    __file__, reference, cases, mistakes,
    name="mlp_grad",
    title="Gradients in a deep sigmoid network",
    params=("x", "y", "As", "bs"),
    wrt=("As", "bs"),
    returns="tuple",
)
