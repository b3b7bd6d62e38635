"""What the code prints on hidden cases stays out of the output a student sees."""

import pytest

from exercises import get_exercise
from grader.pipeline import grade

PRINTS_INPUTS = "def mse_grad(y_hat, y):\n    print('y_hat =', y_hat.tolist())\n    return 2 * (y_hat - y) / len(y)\n"
# Looks for every input of the run in the harness's frames, without being called on them.
FINDS_INPUTS = """import sys
def mse_grad(y_hat, y):
    frame, found = sys._getframe(1), []
    while frame is not None:
        for value in frame.f_locals.values():
            if isinstance(value, dict) and value and all(isinstance(k, str) and '.' in k for k in value):
                found += [k + '=' + str(list(v.ravel())) for k, v in value.items() if k.endswith('.y_hat')]
        frame = frame.f_back
    print(sorted(found))
    return 2 * (y_hat - y) / len(y)
"""


@pytest.mark.parametrize("source", [PRINTS_INPUTS, FINDS_INPUTS], ids=["prints its inputs", "searches the frames"])
def test_output_shows_only_the_public_samples_and_the_graded_run_goes_to_hidden_output(source):
    report = grade(source, get_exercise("mse_grad"), seed=3)
    samples = [list(sample.inputs["y_hat"]) for sample in report.samples]
    hidden = [repr(float(value)) for case in report.cases[-3:] for value in report_inputs(case.name, 3)]
    assert report.passed
    assert all(value not in report.output for value in hidden), report.output
    assert all(value in report.hidden_output for value in hidden)
    if source == PRINTS_INPUTS:
        assert report.output == "".join(f"y_hat = {values}\n" for values in samples)


def report_inputs(name, seed):
    case = next(c for c in get_exercise("mse_grad").hidden_cases(seed) if c.name == name)
    return [v for v in case.inputs["y_hat"].ravel()[:2]]
