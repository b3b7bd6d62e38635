"""mse_grad graded end to end: different correct submissions pass, known slips fail with their hint."""

from textwrap import dedent

import pytest

from exercises import get_exercise
from grader.checks import leaked_expected_values
from grader.pipeline import grade

EXERCISE = get_exercise("mse_grad")

CORRECT = {
    "vectorised": """
        def mse_grad(y_hat, y):
            return 2 * (y_hat - y) / len(y)
    """,
    "python loop over math floats": """
        def mse_grad(y_hat, y):
            n = len(y)
            return [2.0 * (float(p) - float(t)) / n for p, t in zip(y_hat, y)]
    """,
    "float32 result": """
        import numpy as np

        def mse_grad(y_hat, y):
            return (2.0 * (y_hat - y) / y.size).astype(np.float32)
    """,
    "derivative of -(y - y_hat)^2 with np.mean weights": """
        import numpy as np

        def mse_grad(y_hat, y):
            weights = np.full_like(y, 1.0 / y.shape[0])
            return -2.0 * (y - y_hat) * weights
    """,
    "einsum with an identity Jacobian": """
        import numpy as np

        def mse_grad(y_hat, y):
            n = y.shape[0]
            return np.einsum("ij,j->i", np.eye(n), y_hat - y) * (2.0 / n)
    """,
}

WRONG = {
    "missing factor 2": ("""
        def mse_grad(y_hat, y):
            return (y_hat - y) / len(y)
    """, "missing factor 2"),
    "missing 1/n": ("""
        def mse_grad(y_hat, y):
            return 2 * (y_hat - y)
    """, "missing 1/n"),
}


@pytest.mark.parametrize("source", CORRECT.values(), ids=CORRECT.keys())
def test_correct_implementation_passes(source):
    report = grade(dedent(source), get_exercise("mse_grad"), seed=3)
    assert report.error is None
    assert (report.score, report.passed) == (1.0, True)


@pytest.mark.parametrize(("source", "mistake"), WRONG.values(), ids=WRONG.keys())
def test_wrong_implementation_fails_with_its_hint_and_no_hidden_values(source, mistake):
    report = grade(dedent(source), get_exercise("mse_grad"), seed=3)
    assert not report.passed and report.score < 1.0
    assert EXERCISE.mistake(mistake).hint in report.hints
    assert leaked_expected_values(EXERCISE, report) == []


def test_worked_example_of_the_spec():
    case = EXERCISE.public_cases[0]
    assert EXERCISE.loss_value(case) == pytest.approx(0.04)
    assert EXERCISE.reference(case)[0].tolist() == pytest.approx([-0.4])
