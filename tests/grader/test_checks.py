"""The self-checks take a bank mistake that raises on some shapes, as a student's code would: the cases it raises
on fail without naming it, and the cases it answers must name it."""

import dataclasses

import numpy as np

from exercises import get_exercise
from grader.checks import answered, check_exercise
from grader.exercise import Mistake
from grader.tolerances import tolerance_for

MSE = get_exercise("mse_grad")


def _half_through_a_1x1_matrix(y_hat, y):
    return (y_hat - y) @ np.eye(1)  # runs for n = 1 only, where it is half the gradient


def _never_runs(y_hat, y):
    return y_hat @ np.ones(len(y) + 1)


def test_cases_a_trusted_function_raises_on_are_left_out():
    cases = list(MSE.public_cases) + MSE.hidden_cases(0)
    answers = answered(MSE, _half_through_a_1x1_matrix, cases, tolerance_for(MSE.name))
    assert [a.case.name for a in answers] == [c.name for c in cases if len(c.inputs["y"]) == 1]
    assert not any(a.right for a in answers)


def test_a_mistake_that_raises_on_most_cases_is_caught_and_named_where_it_runs():
    mistake = Mistake("half, through a 1 x 1 matrix", "A hint.", _half_through_a_1x1_matrix)
    check = check_exercise(dataclasses.replace(MSE, mistakes=(mistake,)), range(2))
    assert check.problems() == []


def test_a_mistake_that_raises_on_every_case_is_caught_but_never_named():
    mistake = Mistake("never runs", "A hint no one sees.", _never_runs)
    check = check_exercise(dataclasses.replace(MSE, mistakes=(mistake,)), range(2))
    assert check.problems() == ["'never runs' not named on seed 0"]
