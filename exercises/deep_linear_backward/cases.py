"""Public samples and the hidden suite of deep_linear_backward."""

import numpy as np

from grader.exercise import Case

# The inputs with one row per sample, along their first axis.
SAMPLE_INPUTS = ("x", "g")


def _case(name: str, rng: np.random.Generator, n: int, d0: int, d1: int, d2: int,
          x_scale: float = 1.0, g_scale: float = 1.0) -> Case:
    x = rng.normal(scale=x_scale, size=(n, d0))
    w1, w2, w3 = rng.normal(size=(d0, d1)), rng.normal(size=(d1, d2)), rng.normal(size=d2)
    return Case(name, {"x": x, "w1": w1, "w2": w2, "w3": w3, "g": rng.normal(scale=g_scale, size=n)})


def _public(name: str, **inputs) -> Case:
    return Case(name, {k: np.asarray(v, dtype=np.float64) for k, v in inputs.items()})


PUBLIC_CASES = (
    _public("one sample, one unit per layer, a gradient of 1", x=[[1.0]], w1=[[2.0]], w2=[[0.5]], w3=[0.8], g=[1.0]),
    _public("two samples", x=[[1.0, 0.0], [0.0, 1.0]], w1=[[1.0, 0.5], [0.0, 1.0]], w2=[[1.0], [-1.0]], w3=[2.0],
            g=[0.5, -1.0]),
)


def generate_cases(rng: np.random.Generator) -> list[Case]:
    """Fixed structural cases (n = 1, all widths different, one-unit layers, one input feature, square w2,
    large magnitudes) and random ones."""
    cases = [
        _case("n = 1", rng, n=1, d0=3, d1=2, d2=4),
        _case("all widths different", rng, n=5, d0=4, d1=3, d2=2),
        _case("one unit in each hidden layer", rng, n=4, d0=3, d1=1, d2=1),
        _case("one input feature", rng, n=6, d0=1, d1=3, d2=2),
        _case("square, non-symmetric w2", rng, n=3, d0=2, d1=3, d2=3),
        _case("large inputs and upstream gradient", rng, n=5, d0=3, d1=4, d2=2, x_scale=100.0, g_scale=1000.0),
    ]
    for i in range(5):
        n, d0, d1, d2 = (int(v) for v in rng.integers(1, 7, size=4))
        cases.append(_case(f"random {i + 1}", rng, n + 1, d0, d1, d2))
    return cases
