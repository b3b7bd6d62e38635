"""Feedback names the kind of mistake and never reveals a hidden expected value."""

import re
import textwrap

import numpy as np
import pytest

from exercises import get_exercise
from grader.pipeline import grade

SEED = 5


def failing(source):
    report = grade(textwrap.dedent(source), get_exercise("mse_grad"), seed=SEED)
    assert not report.passed
    return report


@pytest.mark.parametrize("expression, words", [
    ("-2 * (y_hat - y) / len(y)", "opposite sign"),
    ("(y_hat - y) / len(y)", "half the true gradient"),
    ("2 * (y_hat - y)", "a sum where the loss takes a mean"),
    ("2 * (y_hat - y) / len(y) ** 2", "a mean where the loss takes a sum"),
], ids=["sign", "missing-2", "times-n", "over-n"])
def test_constant_factor_is_named(expression, words):
    report = failing(f"def mse_grad(y_hat, y):\n    return {expression}\n")
    assert any(words in case.message for case in report.cases)


def test_named_mistake_gives_its_hint():
    report = failing("def mse_grad(y_hat, y):\n    return 2 * (y - y_hat) / len(y)\n")
    assert "Differentiate with respect to y_hat, not y: d/dy_hat (y - y_hat)^2 = 2 (y_hat - y)." in report.hints
    assert report.cases[0].hint == report.hints[0]


def test_unrecognised_wrong_answer_counts_wrong_entries_only():
    report = failing("import numpy as np\ndef mse_grad(y_hat, y):\n    return np.sin(y_hat)\n")
    case = next(c for c in report.cases if c.name == "large values")
    assert case.message == "'dy_hat' is wrong in 7 of 7 entries"


def test_messages_never_contain_hidden_expected_values():
    report = failing("import numpy as np\ndef mse_grad(y_hat, y):\n    return np.cos(y_hat) * 3\n")
    exercise = get_exercise("mse_grad")
    numbers = set()
    for case in exercise.hidden_cases(SEED):
        for value in exercise.reference(case)[0].ravel():
            numbers.update({repr(float(value)), f"{value:.3g}", f"{value:.4f}"})
    text = " ".join(c.message + (c.hint or "") for c in report.cases) + " ".join(report.hints)
    found = set(re.findall(r"-?\d+\.\d+(?:e-?\d+)?", text))
    assert not found & numbers


def test_public_samples_show_inputs_expected_and_got():
    report = failing("def mse_grad(y_hat, y):\n    return 2 * (y_hat - y)\n")
    sample = next(s for s in report.samples if s.name == "three points")
    assert sample.inputs == {"y_hat": [1.0, 2.0, 3.0], "y": [1.5, 2.0, 2.0]}
    assert np.allclose(sample.got["dy_hat"], [-1.0, 0.0, 2.0])
    assert np.allclose(sample.expected["dy_hat"], [-1 / 3, 0.0, 2 / 3])
    assert sample.hint == "The loss is a mean: keep the factor 1/n from the loss in the gradient."


def test_samples_do_not_count_toward_the_score():
    source = "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y) if len(y) != 3 else y * 0\n"
    report = grade(source, get_exercise("mse_grad"), seed=SEED)
    assert not next(s for s in report.samples if s.name == "three points").passed
    assert report.score == 1.0 - sum(not c.passed for c in report.cases) / len(report.cases)
