"""chain_rule_grad's own tests: 0-d inputs and the printed typo; its submissions are graded in test_submissions.py."""

import numpy as np
import pytest

from exercises import get_exercise
from grader.pipeline import grade
from tests.exercises.submissions import load

EXERCISE = get_exercise("chain_rule_grad")
COLLECTION = load("chain_rule_grad")
SEED = COLLECTION.seed
VECTORISED = COLLECTION.correct["vectorised"]


def test_zero_d_input_gets_a_zero_d_reference():
    (case,) = [c for c in EXERCISE.hidden_cases(SEED) if c.name == "0-d input"]
    assert case.inputs["x"].shape == ()
    assert EXERCISE.reference(case)[0].shape == ()


def test_zero_d_answer_to_a_zero_d_input_is_accepted():
    report = grade(VECTORISED, get_exercise("chain_rule_grad"), seed=SEED)
    assert {c.name: c.passed for c in report.cases}["0-d input"]


def test_shape_one_answer_to_a_zero_d_input_is_rejected_with_a_shape_message():
    source = VECTORISED.replace("return du", "return np.atleast_1d(du").replace("* du\n", "* du)\n")
    assert source != VECTORISED
    report = grade(source, get_exercise("chain_rule_grad"), seed=SEED)
    by_name = {c.name: c for c in report.cases}
    zero_d = by_name["0-d input"]
    assert not zero_d.passed and zero_d.kind == "shape"
    assert "'dx' has the wrong shape: got (1,), expected a scalar, shape ()" in zero_d.message
    assert sum(not c.passed for c in report.cases) == 1


def test_reference_is_the_true_derivative_not_the_printed_one():
    x = np.array([0.7])
    (typo,) = (m for m in EXERCISE.mistakes if m.name == "printed typo in the denominator")
    h = 1e-6
    central = (EXERCISE.loss(x=x + h) - EXERCISE.loss(x=x - h)) / (2 * h)
    assert EXERCISE.gradient(x=x)[0] == pytest.approx(central, rel=1e-7)
    assert typo.gradient(x)[0] != pytest.approx(central, rel=1e-3)
