"""linreg_vec_grad's own tests: dw has the shape of w and db is a scalar, the formulas are the seed's dot products,
and X @ r is caught where it runs; its submissions are graded in test_submissions.py."""

from textwrap import dedent

import numpy as np
import pytest

from exercises import get_exercise
from grader.checks import answered
from grader.pipeline import grade
from grader.tolerances import tolerance_for
from tests.exercises.submissions import load

EXERCISE = get_exercise("linreg_vec_grad")
SEED = load("linreg_vec_grad").seed
MANY_SEEDS = range(50)


def test_answer_is_dw_shaped_like_w_then_a_scalar_db():
    for case in EXERCISE.hidden_cases(SEED):
        dw, db = EXERCISE.reference_answer(case)
        assert dw.shape == case.inputs["w"].shape and isinstance(db, float)
        assert [(slot.label, slot.shape) for slot in EXERCISE.slots(case)] == [("dw", case.inputs["w"].shape),
                                                                               ("db", ())]


def test_reference_matches_the_seed_formulas_on_a_worked_case():
    w, b = np.array([1.0, -1.0]), 0.5
    X, y = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]]), np.array([1.0, -1.0, 2.0])
    r = X @ w + b - y  # [0.5, 0.5, -1.5]
    dw, db = EXERCISE.gradient(w=w, b=b, X=X, y=y)
    assert dw.tolist() == pytest.approx((2 / 3 * np.dot(X.T, r)).tolist())
    assert dw.tolist() == pytest.approx([-5 / 3, -5 / 3])
    assert db == pytest.approx((2 / 3 * np.dot(np.ones((1, 3)), r))[0]) == pytest.approx(-1 / 3)


def test_with_one_feature_it_is_linreg_grad():
    one_dimensional = get_exercise("linreg_grad")
    for case in one_dimensional.hidden_cases(0):
        a, b, x, y = (case.inputs[k] for k in ("a", "b", "x", "y"))
        dw, db = EXERCISE.gradient(w=np.array([a]), b=b, X=x[:, None], y=y)
        da, db_1d = one_dimensional.gradient(a=a, b=b, x=x, y=y)
        assert (float(dw[0]), db) == pytest.approx((da, db_1d), rel=1e-12)


def test_every_suite_has_n_1_d_1_and_a_square_x():
    for seed in MANY_SEEDS:
        shapes = {case.name: case.inputs["X"].shape for case in EXERCISE.hidden_cases(seed)}
        assert shapes["n = 1"][0] == 1 and shapes["d = 1"][1] == 1 and shapes["n = 1, d = 1"] == (1, 1)
        assert shapes["square X (n = d = 4)"] == (4, 4)


def test_x_r_raises_where_x_is_not_square_and_is_wrong_on_the_square_case_on_every_seed():
    mistake = EXERCISE.mistake("X r instead of X^T r")
    tol = tolerance_for(EXERCISE.name)
    for seed in MANY_SEEDS:
        cases = EXERCISE.hidden_cases(seed)
        answers = answered(EXERCISE, mistake.gradient, cases, tol)
        square_cases = {c.name for c in cases if c.inputs["X"].shape[0] == c.inputs["X"].shape[1]}
        assert {a.case.name for a in answers} == square_cases
        square = next(a for a in answers if a.case.name == "square X (n = d = 4)")
        assert [c.status for c in square.comparisons] == ["values", "right"]


def test_x_r_is_named_when_graded_though_most_cases_raise():
    source, _ = load("linreg_vec_grad").wrong["X @ r"]
    report = grade(source, EXERCISE, seed=SEED)
    square = next(c for c in report.cases if c.name == "square X (n = d = 4)")
    assert square.message == "'db' is right, but 'dw' is wrong in 4 of 4 entries"
    assert {c.kind for c in report.cases if c.name != square.name and not c.passed} == {"exception"}
    assert report.hints == [EXERCISE.mistake("X r instead of X^T r").hint]


def test_a_column_vector_dw_is_rejected_with_a_shape_message():
    report = grade(dedent("""
        import numpy as np

        def linreg_vec_grad(w, b, X, y):
            r = (X @ w + b - y)[:, None]
            return 2 / len(y) * X.T @ r, 2 * np.mean(r)
    """), EXERCISE, seed=SEED)
    case = next(c for c in report.cases if c.name == "square X (n = d = 4)")
    assert case.message == "'db' is right, but 'dw' has the wrong shape: got (4, 1), expected (4,)"
