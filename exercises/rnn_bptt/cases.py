"""Public samples and the hidden suite of rnn_bptt."""

import numpy as np

from grader.exercise import Case

# The inputs with one row per time step, along their first axis.
SAMPLE_INPUTS = ("x", "y")


def _case(name: str, rng: np.random.Generator, T: int, D: int, H: int, C: int, weight: float = 0.9,
          zero_state: bool = False) -> Case:
    """A random sequence; ``weight`` sets the spread of U and W, big enough that the recurrent path matters."""
    inputs = {
        "x": rng.normal(size=(T, D)),
        "y": rng.integers(0, C, size=T).astype(np.int64),
        "h0": np.zeros(H) if zero_state else rng.normal(scale=0.5, size=H),
        "U": rng.normal(scale=weight / np.sqrt(D), size=(H, D)),
        "W": rng.normal(scale=weight / np.sqrt(H), size=(H, H)),
        "V": rng.normal(size=(C, H)),
        "b": rng.normal(scale=0.3, size=H),
        "c": rng.normal(scale=0.3, size=C),
    }
    return Case(name, inputs)


def _long_memory(name: str, rng: np.random.Generator, T: int, D: int = 2, H: int = 3, C: int = 3) -> Case:
    """A sequence whose gradients reach back undamped through all T steps.

    W is a scaled rotation and the states stay small, so tanh' stays near 1 and W^T keeps the
    gradient's size: the part that reaches step 1 from step T is as large as the rest, and
    cutting the chain after any k < T steps changes dU and db by far more than the tolerance.
    """
    q, _ = np.linalg.qr(rng.normal(size=(H, H)))
    inputs = {
        "x": rng.normal(size=(T, D)),
        "y": rng.integers(0, C, size=T).astype(np.int64),
        "h0": np.zeros(H),
        "U": rng.normal(scale=0.05, size=(H, D)),
        "W": 0.98 * q,
        "V": rng.normal(size=(C, H)),
        "b": rng.normal(scale=0.02, size=H),
        "c": rng.normal(scale=0.5, size=C),
    }
    return Case(name, inputs)


def _public(name: str, **inputs) -> Case:
    return Case(name, {k: np.asarray(v, dtype=np.int64 if k == "y" else np.float64) for k, v in inputs.items()})


PUBLIC_CASES = (
    _public("one step, one unit", x=[[1.0]], y=[0], h0=[0.0], U=[[0.5]], W=[[0.5]], V=[[1.0], [-1.0]],
            b=[0.0], c=[0.0, 0.0]),
    _public("two steps", x=[[1.0, 0.0], [0.0, 1.0]], y=[1, 0], h0=[0.1, -0.2],
            U=[[0.5, -0.3], [0.2, 0.4]], W=[[0.6, -0.4], [0.1, 0.3]], V=[[1.0, 0.0], [0.0, 1.0], [0.5, -0.5]],
            b=[0.0, 0.1], c=[0.0, 0.0, 0.1]),
)


# The length of the "long memory" case: BPTT truncated after any k < LONG_MEMORY_STEPS steps fails it.
LONG_MEMORY_STEPS = 16


def generate_cases(rng: np.random.Generator) -> list[Case]:
    """Fixed structural cases (T = 1, T >= 3, rectangular D, H, C, H = 1, h0 = 0, a long memory) and random ones."""
    cases = [
        _case("one step", rng, T=1, D=3, H=4, C=2),
        _case("three steps, D, H, C all different", rng, T=3, D=2, H=5, C=3),
        _case("long sequence", rng, T=9, D=3, H=4, C=3, weight=1.2),
        _case("one hidden unit", rng, T=4, D=2, H=1, C=3),
        _case("zero initial state", rng, T=5, D=4, H=3, C=2, zero_state=True),
        _long_memory("long memory", rng, T=LONG_MEMORY_STEPS),
    ]
    for i in range(5):
        T, D, H, C = (int(n) for n in (rng.integers(3, 7), rng.integers(1, 5), rng.integers(2, 6), rng.integers(2, 5)))
        cases.append(_case(f"random {i + 1}", rng, T, D, H, C))
    return cases
