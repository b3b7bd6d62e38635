"""mse_grad's own tests; its right and wrong submissions are graded in test_submissions.py."""

import pytest

from exercises import get_exercise

EXERCISE = get_exercise("mse_grad")


def test_worked_example_of_the_spec():
    case = EXERCISE.public_cases[0]
    assert EXERCISE.loss_value(case) == pytest.approx(0.04)
    assert EXERCISE.reference(case)[0].tolist() == pytest.approx([-0.4])
