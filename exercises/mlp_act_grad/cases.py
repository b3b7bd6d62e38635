"""Public samples and the hidden suite of mlp_act_grad.

Every activation gets fixed structural cases and random ones. A ReLU has a kink at z = 0:
its derivative jumps from 0 to 1 there, so a finite difference whose steps (a few EPS, moved
through the layers above) cross the kink measures a slope between the two, and a reference
right on the kink could not be checked. ReLU cases therefore choose every pre-activation
first, at least RELU_MARGIN times the case's scale away from 0 (hundreds of times further than
any step of the finite differences moves it), and then the bias that gives it. The same choice
keeps at least one unit of every ReLU layer active, so that no layer passes back only zeros.
"""

from itertools import pairwise

import numpy as np

from exercises.mlp_act_grad.reference import ACTIVATIONS
from grader.exercise import Case

RELU_MARGIN = 0.25
# The share of a ReLU layer's units that are active (z > 0).
RELU_ACTIVE = 2 / 3


def _relu_pre_activations(rng: np.random.Generator, size: int, scale: float) -> np.ndarray:
    """Pre-activations with |z| in [RELU_MARGIN, 1.5] * scale, at least one of them positive."""
    signs = np.where(rng.uniform(size=size) < RELU_ACTIVE, 1.0, -1.0)
    signs[rng.integers(size)] = 1.0
    return signs * rng.uniform(RELU_MARGIN, 1.5, size=size) * scale


def _case(name: str, rng: np.random.Generator, dims: list[int], activation: str, scale: float = 1.0) -> Case:
    """A network with layer sizes ``dims`` = [d_0, ..., d_K]; ``scale`` multiplies the input and, for a
    ReLU, every pre-activation (a ReLU network is as right at any scale; a saturated sigmoid is not)."""
    function = ACTIVATIONS[activation][0]
    x = rng.normal(scale=scale, size=dims[0])
    As, bs, f = [], [], x
    for d_in, d_out in pairwise(dims):
        A = rng.normal(scale=1.5 / np.sqrt(d_in), size=(d_out, d_in))
        if activation == "relu":
            b = _relu_pre_activations(rng, d_out, scale) - A @ f
        else:
            b = rng.normal(scale=0.5, size=d_out)
        As.append(A)
        bs.append(b)
        f = function(A @ f + b)
    y = rng.uniform(0.0, 1.0, size=dims[-1]) * scale
    return Case(name, {"x": x, "y": y, "As": As, "bs": bs, "activation": activation})


def _public(name: str, x, y, As, bs, activation: str) -> Case:
    def floats(v):
        return np.asarray(v, dtype=np.float64)
    return Case(name, {"x": floats(x), "y": floats(y), "As": [floats(A) for A in As], "bs": [floats(b) for b in bs],
                       "activation": activation})


PUBLIC_CASES = (
    _public("one sigmoid layer, one unit", [1.0], [1.0], [[[0.0]]], [[0.0]], "sigmoid"),
    _public("two tanh layers", [1.0, -1.0], [0.0], [[[0.5, -0.5], [1.0, 0.0]], [[1.0, -1.0]]], [[0.0, 0.0], [0.5]],
            "tanh"),
    # the first hidden unit is off (z = -0.5), the second on (z = 1.0), the output on (z = 0.75)
    _public("two ReLU layers, one unit off", [1.0, 2.0], [0.5], [[[1.0, -1.0], [0.5, 0.5]], [[1.0, 0.5]]],
            [[0.5, -0.5], [0.25]], "relu"),
)


def generate_cases(rng: np.random.Generator) -> list[Case]:
    """Fixed structural cases for each activation (K = 1, one-unit layers, one input, one output, square and
    rectangular layers, K = 4, large magnitudes) and two random ones each."""
    cases = [
        _case("one sigmoid layer (K = 1)", rng, [3, 2], "sigmoid"),
        _case("sigmoid, one unit in the hidden layer", rng, [3, 1, 2], "sigmoid"),
        _case("three sigmoid layers, one output", rng, [2, 4, 3, 1], "sigmoid"),
        _case("tanh, one unit per layer", rng, [1, 1], "tanh"),
        _case("two tanh layers, rectangular", rng, [4, 3, 2], "tanh"),
        _case("tanh, one input", rng, [1, 4, 2], "tanh"),
        _case("square ReLU layers", rng, [3, 3, 3], "relu"),
        _case("four ReLU layers, one output", rng, [2, 5, 3, 4, 1], "relu"),
        _case("ReLU, large magnitudes", rng, [3, 4, 2], "relu", scale=100.0),
    ]
    for i in range(6):
        # at most three layers of width >= 2: deeper, narrower random nets can make dAs[0] vanish
        depth = rng.integers(2, 4)
        dims = [int(d) for d in rng.integers(2, 6, size=depth + 1)]
        cases.append(_case(f"random {i + 1}", rng, dims, tuple(ACTIVATIONS)[i % 3]))
    return cases
