"""linreg_grad graded end to end: scalar answers in any packing pass, known slips fail with their hint."""

from textwrap import dedent

import numpy as np
import pytest

from exercises import get_exercise
from grader.checks import leaked_expected_values
from grader.pipeline import grade

EXERCISE = get_exercise("linreg_grad")
SEED = 5

CORRECT = {
    "vectorised means": """
        import numpy as np

        def linreg_grad(a, b, x, y):
            r = a * x + b - y
            return 2 * np.mean(x * r), 2 * np.mean(r)
    """,
    "python loop returning a list of floats": """
        def linreg_grad(a, b, x, y):
            da = db = 0.0
            for xi, yi in zip(x.tolist(), y.tolist()):
                r = a * xi + b - yi
                da += 2 * r * xi
                db += 2 * r
            return [da / len(x), db / len(x)]
    """,
    "0-d arrays from np.dot": """
        import numpy as np

        def linreg_grad(a, b, x, y):
            r = a * x + b - y
            n = x.shape[0]
            return np.array(2.0 * np.dot(x, r) / n), np.array(2.0 * r.sum() / n)
    """,
    "design matrix": """
        import numpy as np

        def linreg_grad(a, b, x, y):
            X = np.stack([x, np.ones_like(x)], axis=1)
            grad = 2.0 / len(y) * X.T @ (X @ np.array([a, b]) - y)
            return tuple(grad)
    """,
    "the seed's dyda, dydb, then the mean, as float32": """
        import numpy as np

        def linreg_grad(a, b, x, y):
            y_pred = a * x + b
            dydb = 2 * (y_pred - y)
            dyda = x * dydb
            return np.float32(dyda.mean()), np.float32(dydb.mean())
    """,
}

WRONG = {
    "no mean: per-sample terms": ("""
        def linreg_grad(a, b, x, y):
            dydb = 2 * (a * x + b - y)
            return x * dydb / len(x), dydb / len(x)
    """, "per-sample terms returned"),
    "swapped pair": ("""
        import numpy as np

        def linreg_grad(a, b, x, y):
            r = a * x + b - y
            return 2 * np.mean(r), 2 * np.mean(x * r)
    """, "swapped (da, db)"),
    "sum instead of mean": ("""
        import numpy as np

        def linreg_grad(a, b, x, y):
            r = a * x + b - y
            return 2 * np.sum(x * r), 2 * np.sum(r)
    """, "missing 1/n"),
}


@pytest.mark.parametrize("source", CORRECT.values(), ids=CORRECT.keys())
def test_correct_implementation_passes(source):
    report = grade(dedent(source), get_exercise("linreg_grad"), seed=SEED)
    assert report.error is None
    assert (report.score, report.passed) == (1.0, True)


@pytest.mark.parametrize(("source", "mistake"), WRONG.values(), ids=WRONG.keys())
def test_wrong_implementation_fails_with_its_hint_and_no_hidden_values(source, mistake):
    report = grade(dedent(source), get_exercise("linreg_grad"), seed=SEED)
    assert not report.passed
    assert EXERCISE.mistake(mistake).hint in report.hints
    assert leaked_expected_values(EXERCISE, report) == []


def test_answer_is_a_pair_of_scalars_as_the_spec_says():
    for case in EXERCISE.hidden_cases(SEED):
        da, db = EXERCISE.reference_answer(case)
        assert isinstance(da, float) and isinstance(db, float)
        assert [slot.shape for slot in EXERCISE.slots(case)] == [(), ()]
        assert [slot.label for slot in EXERCISE.slots(case)] == ["da", "db"]


def test_reference_matches_the_seed_formulas_on_a_worked_case():
    a, b, x, y = 2.0, 1.0, np.array([0.0, 1.0, 2.0]), np.array([1.0, 4.0, 4.0])
    residuals = a * x + b - y  # [0, -1, 1]
    da, db = EXERCISE.gradient(a=a, b=b, x=x, y=y)
    assert (da, db) == pytest.approx((2 * np.mean(x * residuals), 2 * np.mean(residuals)))
    assert (da, db) == pytest.approx((2 / 3, 0.0))


def test_shape_one_arrays_are_rejected_with_a_shape_message():
    source = """
        import numpy as np

        def linreg_grad(a, b, x, y):
            r = a * x + b - y
            return np.array([2 * np.mean(x * r)]), np.array([2 * np.mean(r)])
    """
    report = grade(dedent(source), get_exercise("linreg_grad"), seed=SEED)
    assert report.score == 0.0
    assert all("got (1,), expected a scalar, shape ()" in c.message for c in report.cases)
