"""Public samples and the hidden suite of softmax_ce_grad."""

import numpy as np

from grader.exercise import Case

# The inputs with one row per sample, along their first axis.
SAMPLE_INPUTS = ("logits", "labels")


def _case(name: str, logits, labels) -> Case:
    return Case(name, {"logits": np.asarray(logits, dtype=np.float64), "labels": np.asarray(labels, dtype=np.int64)})


PUBLIC_CASES = (
    _case("one sample, three classes", [[1.0, 2.0, 3.0]], [2]),
    _case("two samples, equal logits", [[0.0, 0.0], [1.0, -1.0]], [0, 0]),
)


def _random(rng: np.random.Generator, n: int, c: int, scale: float = 2.0) -> tuple[np.ndarray, np.ndarray]:
    return rng.normal(scale=scale, size=(n, c)), rng.integers(0, c, size=n)


def _distinct_labels(rng: np.random.Generator, n: int, c: int) -> np.ndarray:
    """Labels with at least two different values, so row-mixing index slips show."""
    return rng.permutation(np.arange(n) % c)


def _labels_off_the_maximum(rng: np.random.Generator, logits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Labels that are never their row's largest logit: with logits this far apart, a row whose label
    is its maximum has a gradient near 1e-12, which no answer can fail and no finite difference resolve."""
    classes = logits.shape[1]
    offset = 1 + rng.integers(classes - 1, size=len(logits))
    return logits, (np.argmax(logits, axis=1) + offset) % classes


def _rows_far_apart(rng: np.random.Generator) -> np.ndarray:
    """A row near +1000 beside one lying wholly in [-1000, -800]: only each row's own maximum keeps the
    second row's exponentials from underflowing, and no clipping leaves both rows' softmax intact."""
    return np.stack([rng.uniform(990.0, 1000.0, size=5), rng.uniform(-1000.0, -800.0, size=5),
                     rng.normal(scale=2.0, size=5)])


def generate_cases(rng: np.random.Generator) -> list[Case]:
    """Fixed structural cases (N = 1, C = 2, more classes than samples, logits near +-1000, rows far apart)
    and random ones."""
    large = rng.uniform(-1000.0, 1000.0, size=(4, 5))
    large_labels = _distinct_labels(rng, 4, 5)
    # one row whose true class is also its largest logit, and one row where it is far below
    large[0, large_labels[0]] = 1000.0
    cases = [
        _case("N = 1", *_random(rng, 1, 4)),
        _case("two classes", rng.normal(scale=2.0, size=(5, 2)), _distinct_labels(rng, 5, 2)),
        _case("more classes than samples", rng.normal(scale=2.0, size=(3, 7)), _distinct_labels(rng, 3, 7)),
        _case("logits of magnitude up to 1000", large, large_labels),
        _case("large negative logits", *_labels_off_the_maximum(rng, rng.uniform(-1000.0, -900.0, size=(3, 4)))),
        _case("a row near +1000 beside one in [-1000, -800]", _rows_far_apart(rng), _distinct_labels(rng, 3, 5)),
    ]
    for i in range(5):
        n, c = int(rng.integers(2, 9)), int(rng.integers(2, 7))
        cases.append(_case(f"random {i + 1}", *_random(rng, n, c)))
    return cases
