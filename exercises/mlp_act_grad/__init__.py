"""mlp_act_grad: back-propagation through a network of sigmoid, tanh or ReLU layers, down to its input."""

from exercises.mlp_act_grad import cases, mistakes, reference
from grader.exercise import assemble

EXERCISE = assemble(
    __file__, reference, cases, mistakes,
    name="mlp_act_grad",
    title="Gradients in a deep network with sigmoid, tanh or ReLU",
    params=("x", "y", "As", "bs", "activation"),
    wrt=("As", "bs", "x"),
    returns="tuple",
)
