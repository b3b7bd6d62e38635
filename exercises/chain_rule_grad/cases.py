"""Public samples and the hidden suite of chain_rule_grad."""

import numpy as np

from grader.exercise import Case


def _case(name: str, x) -> Case:
    return Case(name, {"x": np.asarray(x, dtype=np.float64)})


PUBLIC_CASES = (
    _case("a single number", 1.0),
    _case("three points", [-1.0, 0.0, 0.5]),
)


def generate_cases(rng: np.random.Generator) -> list[Case]:
    """Fixed structural cases (0-d, shape (1,), a matrix, x = 0, |x| = 2, negatives) and random ones."""
    with_zero = rng.uniform(-2.0, 2.0, size=5)
    with_zero[rng.integers(5)] = 0.0
    cases = [
        _case("0-d input", rng.uniform(0.3, 2.0)),
        _case("shape (1,)", rng.uniform(-2.0, -0.3, size=1)),
        _case("a 2 x 3 matrix", rng.uniform(-2.0, 2.0, size=(2, 3))),
        _case("x = 0 among others", with_zero),
        _case("the ends |x| = 2", np.array([-2.0, 2.0, -1.95, 1.9])),
        _case("negative values only", -rng.uniform(0.1, 2.0, size=4)),
    ]
    for i in range(5):
        shape = tuple(rng.integers(1, 5, size=rng.integers(1, 3)))
        cases.append(_case(f"random {i + 1}", rng.uniform(-2.0, 2.0, size=shape)))
    return cases
