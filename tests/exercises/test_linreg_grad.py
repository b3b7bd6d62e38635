"""linreg_grad's own tests: the answer is a pair of scalars; its submissions are graded in test_submissions.py."""

from textwrap import dedent

import numpy as np
import pytest

from exercises import get_exercise
from grader.pipeline import grade
from tests.exercises.submissions import load

EXERCISE = get_exercise("linreg_grad")
SEED = load("linreg_grad").seed


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
