"""Public samples and the hidden suite of softmax_ce_loss."""

import numpy as np

from grader.exercise import Case

# The inputs with one row per sample, along their first axis.
SAMPLE_INPUTS = ("logits", "labels")


def _case(name: str, logits, labels) -> Case:
    return Case(name, {"logits": np.asarray(logits, dtype=np.float64), "labels": np.asarray(labels, dtype=np.int64)})


PUBLIC_CASES = (
    _case("one sample, three classes", [[1.0, 2.0, 3.0]], [2]),
    _case("two samples, equal logits in the first", [[0.0, 0.0], [1.0, -1.0]], [0, 1]),
)


def _distinct_labels(rng: np.random.Generator, n: int, c: int) -> np.ndarray:
    """Labels with at least two different values, so slips that mix up rows or classes show."""
    return rng.permutation(np.arange(n) % c)


def _labels_off_the_maximum(rng: np.random.Generator, logits: np.ndarray) -> np.ndarray:
    """Labels that are never their row's largest logit, so each row's loss is far from 0."""
    classes = logits.shape[1]
    return (np.argmax(logits, axis=1) + 1 + rng.integers(classes - 1, size=len(logits))) % classes


def _true_class_far_below(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A row whose true class sits 2000 below its maximum, beside an ordinary row: its probability is
    exp(-2000), which is 0 in float64, while its loss, about 2000, is an ordinary number."""
    logits = rng.normal(scale=2.0, size=(2, 4))
    logits[0, 0], logits[0, 3] = 1000.0, -1000.0
    return logits, np.array([3, int(rng.integers(4))])


def _rows_far_apart(rng: np.random.Generator) -> np.ndarray:
    """A row near +1000 beside one wholly in [-1000, -800] and an ordinary one: only each row's own maximum
    keeps the far rows' exponentials from overflowing or underflowing all at once."""
    return np.stack([rng.uniform(990.0, 1000.0, size=5), rng.uniform(-1000.0, -800.0, size=5),
                     rng.normal(scale=2.0, size=5)])


def generate_cases(rng: np.random.Generator) -> list[Case]:
    """Fixed structural cases (N = 1, C = 2, more classes than samples, positive logits, logits near +-1000,
    a true class far below its row's maximum, rows far apart) and random ones."""
    large = rng.uniform(-1000.0, 1000.0, size=(4, 5))
    large_labels = _distinct_labels(rng, 4, 5)
    large[0, large_labels[0]] = 1000.0  # one row whose true class is its largest logit
    negative = rng.uniform(-1000.0, -900.0, size=(3, 4))
    cases = [
        _case("N = 1", rng.normal(scale=2.0, size=(1, 4)), rng.integers(0, 4, size=1)),
        _case("two classes", rng.normal(scale=2.0, size=(5, 2)), _distinct_labels(rng, 5, 2)),
        _case("more classes than samples", rng.normal(scale=2.0, size=(3, 7)), _distinct_labels(rng, 3, 7)),
        _case("positive logits", rng.uniform(0.5, 4.0, size=(4, 3)), _distinct_labels(rng, 4, 3)),
        _case("logits of magnitude up to 1000", large, large_labels),
        _case("large negative logits", negative, _labels_off_the_maximum(rng, negative)),
        _case("true class 2000 below its row's maximum", *_true_class_far_below(rng)),
        _case("a row near +1000 beside one in [-1000, -800]", _rows_far_apart(rng), _distinct_labels(rng, 3, 5)),
    ]
    for i in range(5):
        n, c = int(rng.integers(2, 9)), int(rng.integers(2, 7))
        cases.append(_case(f"random {i + 1}", rng.normal(scale=2.0, size=(n, c)), rng.integers(0, c, size=n)))
    return cases
