"""rnn_bptt: back-propagation through time in a tanh recurrent network with softmax outputs."""

from exercises.base import Exercise, read_statement
from exercises.rnn_bptt import cases, mistakes, reference

EXERCISE = Exercise(
    name="rnn_bptt",
    title="Back-propagation through time",
    statement=read_statement(__file__),
    params=("x", "y", "h0", "U", "W", "V", "b", "c"),
    wrt=("U", "W", "V", "b", "c"),
    returns="dict",
    loss=reference.loss,
    gradient=reference.gradient,
    generate_cases=cases.generate_cases,
    public_cases=cases.PUBLIC_CASES,
    mistakes=mistakes.MISTAKES,
)
