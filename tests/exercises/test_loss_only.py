"""An exercise given only by its loss and cases: its reference comes from finite differences."""

from textwrap import dedent

import numpy as np

from grader.compare import compare
from grader.exercise import Case, Exercise
from grader.pipeline import grade
from grader.tolerances import tolerance_for


def logistic_loss(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(np.logaddexp(0.0, -y * (X @ w))))


def analytic_gradient(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    margins = y * (X @ w)
    return -X.T @ (y / (1.0 + np.exp(margins))) / len(y)


def logistic_cases(rng: np.random.Generator) -> list[Case]:
    shapes = [(1, 3), (5, 2), (7, 4)]
    return [Case(f"random {i + 1}", {"w": rng.normal(size=d), "X": rng.normal(size=(n, d)),
                                     "y": rng.choice([-1.0, 1.0], size=n)})
            for i, (n, d) in enumerate(shapes)]


LOGREG = Exercise(
    name="logreg_grad", title="Gradient of the logistic loss", statement="# logreg_grad\n\n$\\frac{1}{n}$",
    params=("w", "X", "y"), wrt=("w",), returns="array", loss=logistic_loss, generate_cases=logistic_cases,
)

STUDENT = """
    import numpy as np

    def logreg_grad(w, X, y):
        s = 1 / (1 + np.exp(y * (X @ w)))
        return -X.T @ (y * s) / len(y)
"""


def test_reference_comes_from_finite_differences_and_matches_the_analytic_gradient():
    assert LOGREG.gradient is None
    for case in LOGREG.hidden_cases(seed=1):
        (reference,) = LOGREG.reference(case)
        analytic = analytic_gradient(**case.inputs)
        assert compare("dw", analytic, reference, tolerance_for(LOGREG.name)).right


def test_correct_submission_passes_through_the_pipeline():
    report = grade(dedent(STUDENT), LOGREG, seed=1)
    assert (report.score, report.passed, report.error) == (1.0, True, None)


def test_answer_off_by_a_factor_of_two_fails_with_the_factor_message():
    report = grade(dedent(STUDENT).replace("/ len(y)", "* 2 / len(y)"), LOGREG, seed=1)
    assert report.score == 0.0
    assert all("twice the true gradient" in case.message for case in report.cases)
