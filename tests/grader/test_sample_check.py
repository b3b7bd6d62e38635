"""A check against the public samples: the samples alone run and are judged, each with expected and got values."""

from __future__ import annotations

import pytest

from exercises import get_exercise
from grader.pipeline import check_samples

MSE_GRAD = get_exercise("mse_grad")
RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"
WRONG = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y)\n"
# Prints the inputs of every case it finds in the harness's frames: in a check, the samples' alone.
FINDS_EVERY_INPUT = """import sys
def mse_grad(y_hat, y):
    frame, seen = sys._getframe(1), set()
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if isinstance(value, dict) and value and all(isinstance(k, str) and '.' in k for k in value):
                seen.update(k + '=' + repr(v.ravel().tolist()) for k, v in value.items())
        frame = frame.f_back
    print(' '.join(sorted(seen)))
    return 2 * (y_hat - y) / y.size
"""
SAMPLE_INPUTS = "0.y=[1.0] 0.y_hat=[0.8] 1.y=[1.5, 2.0, 2.0] 1.y_hat=[1.0, 2.0, 3.0]"


def test_right_code_passes_every_sample_with_got_equal_to_expected():
    report = check_samples(RIGHT, MSE_GRAD)
    assert report.passed and report.error is None and report.output == ""
    assert [s.name for s in report.samples] == [case.name for case in MSE_GRAD.public_cases]
    for sample in report.samples:
        assert sample.passed and sample.message == "Right"
        assert sample.got["dy_hat"] == pytest.approx(sample.expected["dy_hat"], rel=1e-12)


def test_wrong_code_shows_expected_and_got_and_the_hint_of_its_mistake():
    report = check_samples(WRONG, MSE_GRAD)
    assert not report.passed and report.error is None
    one, three = report.samples
    assert one.passed  # with n = 1 the missing 1/n changes nothing
    assert not three.passed and three.message == "'dy_hat' points the right way but is scaled by a wrong factor"
    assert three.hint == "The loss is a mean: keep the factor 1/n from the loss in the gradient."
    assert three.expected == {"dy_hat": pytest.approx([-1 / 3, 0.0, 2 / 3])}
    assert three.got == {"dy_hat": [-1.0, 0.0, 2.0]}
    assert three.inputs == {"y_hat": [1.0, 2.0, 3.0], "y": [1.5, 2.0, 2.0]}


def test_a_checks_run_holds_the_samples_inputs_and_no_hidden_case():
    report = check_samples(FINDS_EVERY_INPUT, MSE_GRAD)
    assert report.passed
    assert report.output.splitlines() == [SAMPLE_INPUTS, SAMPLE_INPUTS]


def test_code_that_raises_shows_its_own_message_and_traceback_on_each_sample():
    report = check_samples("def mse_grad(y_hat, y):\n    raise ValueError('not yet')\n", MSE_GRAD)
    assert not report.passed
    assert [s.message for s in report.samples] == ["Raised ValueError: not yet"] * 2
    assert all("line 2, in mse_grad" in s.traceback for s in report.samples)


def test_code_that_does_not_load_says_why_once_and_runs_no_sample():
    report = check_samples("def mse_grad(y_hat, y)\n    return y\n", MSE_GRAD)
    assert not report.passed and report.error.startswith("SyntaxError: ") and "(line 1, column" in report.error
    assert [s.message for s in report.samples] == [f"Not run: {report.error}"] * 2
    assert report.to_dict()["samples"][0]["got"] == {}
