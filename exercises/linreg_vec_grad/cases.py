"""Public samples and the hidden suite of linreg_vec_grad."""

import numpy as np

from grader.exercise import Case

# The inputs with one row per sample, along their first axis.
SAMPLE_INPUTS = ("X", "y")


def _case(name: str, w, b: float, X, y) -> Case:
    return Case(name, {"w": np.asarray(w, dtype=np.float64), "b": float(b), "X": np.asarray(X, dtype=np.float64),
                       "y": np.asarray(y, dtype=np.float64)})


PUBLIC_CASES = (
    _case("one sample, two features", [1.0, -1.0], 0.5, [[2.0, 1.0]], [3.0]),
    _case("three samples, two features", [0.5, 0.0], 1.0, [[0.0, 1.0], [1.0, 0.0], [2.0, 2.0]], [1.0, 2.0, 0.0]),
)


def _data(rng: np.random.Generator, n: int, d: int, offset: float = 0.0,
          scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """A design matrix and targets from a noisy linear model, so the residuals are of the data's scale."""
    X = offset + scale * rng.normal(size=(n, d))
    return X, X @ rng.normal(1.0, 0.5, size=d) + rng.normal() + rng.normal(scale=0.3 * scale, size=n)


def _random(rng: np.random.Generator, name: str, n: int, d: int, offset: float = 0.0, scale: float = 1.0) -> Case:
    """Weights and intercept drawn at random (the intercept never exactly 0), with data from ``_data``."""
    return _case(name, rng.normal(size=d), rng.normal() + 0.5, *_data(rng, n, d, offset, scale))


def _near_fit(rng: np.random.Generator, n: int, d: int) -> Case:
    """The least-squares fit itself, with one target then moved: one large residual among tiny ones."""
    X, y = _data(rng, n, d)
    solution, *_ = np.linalg.lstsq(np.column_stack([X, np.ones(n)]), y, rcond=None)
    y[1] += 1.0
    return _case("near fit with one outlier", solution[:d], solution[d], X, y)


def generate_cases(rng: np.random.Generator) -> list[Case]:
    """Fixed structural cases (n = 1, d = 1, both, a square X, more features than samples, features far from 0,
    large values, a near fit) and random ones."""
    cases = [
        _random(rng, "n = 1", 1, 3),
        _random(rng, "d = 1", 6, 1),
        _random(rng, "n = 1, d = 1", 1, 1),
        _random(rng, "square X (n = d = 4)", 4, 4),
        _random(rng, "more features than samples", 2, 5),
        _random(rng, "features far from zero", 7, 3, offset=8.0),
        _random(rng, "large values", 8, 3, scale=100.0),
        _near_fit(rng, 9, 3),
    ]
    for i in range(5):
        n, d = int(rng.integers(3, 13)), int(rng.integers(2, 6))
        cases.append(_random(rng, f"random {i + 1}", n, d, offset=rng.normal()))
    return cases
