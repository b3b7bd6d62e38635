"""Public samples and the hidden suite of mlp_grad."""

from itertools import pairwise

import numpy as np

from grader.exercise import Case


def _case(name: str, rng: np.random.Generator, dims: list[int]) -> Case:
    """A network with layer sizes ``dims`` = [d_0, ..., d_K], weights spread enough to keep sigma' away from 0."""
    As = [rng.normal(scale=1.5 / np.sqrt(d_in), size=(d_out, d_in)) for d_in, d_out in pairwise(dims)]
    bs = [rng.normal(scale=0.5, size=d_out) for d_out in dims[1:]]
    return Case(name, {"x": rng.normal(size=dims[0]), "y": rng.uniform(0.0, 1.0, size=dims[-1]), "As": As, "bs": bs})


def _public(name: str, x, y, As, bs) -> Case:
    def floats(v):
        return np.asarray(v, dtype=np.float64)
    return Case(name, {"x": floats(x), "y": floats(y), "As": [floats(A) for A in As], "bs": [floats(b) for b in bs]})


PUBLIC_CASES = (
    _public("one layer, one unit", [1.0], [1.0], [[[0.0]]], [[0.0]]),
    _public("two layers", [1.0, -1.0], [0.0], [[[0.5, -0.5], [1.0, 0.0]], [[1.0, -1.0]]], [[0.0, 0.0], [0.5]]),
)


def generate_cases(rng: np.random.Generator) -> list[Case]:
    """Fixed structural cases (K = 1, K = 2 and 4, one output, square and rectangular layers) and random ones."""
    cases = [
        _case("one layer (K = 1)", rng, [3, 2]),
        _case("two layers, rectangular", rng, [4, 3, 2]),
        _case("four layers, one output", rng, [2, 5, 3, 4, 1]),
        _case("square layers", rng, [3, 3, 3]),
        _case("one input", rng, [1, 4, 2]),
    ]
    for i in range(5):
        # at most three layers of width >= 2: deeper, narrower random nets can make dAs[0] vanish
        depth = rng.integers(2, 4)
        cases.append(_case(f"random {i + 1}", rng, [int(d) for d in rng.integers(2, 6, size=depth + 1)]))
    return cases
