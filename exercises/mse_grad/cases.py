"""Public samples and the hidden suite of mse_grad."""

import numpy as np

from grader.exercise import Case

# The inputs with one entry per sample, along their first axis.
SAMPLE_INPUTS = ("y_hat", "y")


def _case(name: str, y_hat, y) -> Case:
    return Case(name, {"y_hat": np.asarray(y_hat, dtype=np.float64), "y": np.asarray(y, dtype=np.float64)})


PUBLIC_CASES = (
    _case("worked example: n = 1", [0.8], [1.0]),
    _case("three points", [1.0, 2.0, 3.0], [1.5, 2.0, 2.0]),
)


def generate_cases(rng: np.random.Generator) -> list[Case]:
    """Fixed structural cases (n = 1, n = 2, large values, all targets hit) and random ones."""
    cases = [
        _case("n = 1", rng.normal(size=1), rng.normal(size=1)),
        _case("n = 2", rng.normal(size=2), rng.normal(size=2)),
        _case("large values", rng.normal(scale=1e3, size=7), rng.normal(scale=1e3, size=7)),
        _case("some predictions exact", *_partly_exact(rng, 6)),
    ]
    for i, n in enumerate(rng.integers(3, 40, size=6)):
        cases.append(_case(f"random {i + 1}", rng.normal(size=n), rng.normal(size=n)))
    return cases


def _partly_exact(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    y = rng.normal(size=n)
    y_hat = y.copy()
    y_hat[::2] += rng.normal(size=len(y_hat[::2]))
    return y_hat, y
