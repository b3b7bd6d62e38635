"""Public samples and the hidden suite of linreg_grad."""

import numpy as np

from grader.exercise import Case

# The inputs with one entry per sample, along their first axis.
SAMPLE_INPUTS = ("x", "y")


def _case(name: str, a: float, b: float, x, y) -> Case:
    return Case(name, {"a": float(a), "b": float(b), "x": np.asarray(x, dtype=np.float64),
                       "y": np.asarray(y, dtype=np.float64)})


PUBLIC_CASES = (
    _case("one point", 2.0, 1.0, [1.0], [2.0]),
    _case("three points on a line", 0.5, 0.0, [0.0, 1.0, 2.0], [1.0, 3.0, 5.0]),
)


def _noisy_line(rng: np.random.Generator, n: int, offset: float = 0.0,
                scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    x = offset + scale * rng.normal(size=n)
    return x, rng.normal(1.5, 0.5) * x + rng.normal() + rng.normal(scale=0.3 * scale, size=n)


def generate_cases(rng: np.random.Generator) -> list[Case]:
    """Fixed structural cases (n = 1, n = 2, x far from 0, large values, a near fit) and random ones."""
    x_near, y_near = _noisy_line(rng, 6)
    a_near, b_near = np.polyfit(x_near, y_near, 1)
    y_near[2] += 1.0  # one outlier keeps the gradient away from zero
    cases = [
        _case("n = 1", rng.normal(), rng.normal(), *_noisy_line(rng, 1)),
        _case("n = 2", rng.normal(), rng.normal(), *_noisy_line(rng, 2)),
        _case("x far from zero", rng.normal(), rng.normal(), *_noisy_line(rng, 5, offset=8.0)),
        _case("large values", rng.normal(scale=3.0), rng.normal(scale=3.0), *_noisy_line(rng, 7, scale=100.0)),
        _case("near fit with one outlier", a_near, b_near, x_near, y_near),
    ]
    for i, n in enumerate(rng.integers(3, 11, size=5)):
        cases.append(_case(f"random {i + 1}", rng.normal(), rng.normal(), *_noisy_line(rng, n, offset=rng.normal())))
    return cases
