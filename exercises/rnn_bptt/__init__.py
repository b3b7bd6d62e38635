"""rnn_bptt: back-propagation through time in a tanh recurrent network with softmax outputs."""

from exercises.rnn_bptt import cases, mistakes, reference
from grader.exercise import assemble

EXERCISE = assemble(
    __file__, reference, cases, mistakes,
    name="rnn_bptt",
    title="Back-propagation through time",
    params=("x", "y", "h0", "U", "W", "V", "b", "c"),
    wrt=("U", "W", "V", "b", "c"),
    returns="dict",
)
