"""What the code raises in the graded run, which holds every hidden input, stays out of a student's view.

Each attack finds hidden inputs (as arguments of a hidden case, or in the harness's frames while
a sample runs or the file loads) and writes them into an exception. The instructor's report keeps
that text; the report's public view, which students see, holds none of it.
"""

import json
import time
from dataclasses import replace

import pytest

from exercises import get_exercise
from grader.gradescope import gradescope_results
from grader.pipeline import grade
from grader.sandbox import default_runner
from grader.sandbox.limits import DEFAULT_LIMITS

SEED = 3
MSE_GRAD = get_exercise("mse_grad")
SAMPLE_INPUTS = "0.y=[1.0] 0.y_hat=[0.8] 1.y=[1.5, 2.0, 2.0] 1.y_hat=[1.0, 2.0, 3.0]"
# Yields the inputs of every case of the run that it finds in the harness's frames, as text.
FIND = """import sys
def found():
    frame, seen = sys._getframe(1), set()
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if isinstance(value, dict) and value and all(isinstance(k, str) and '.' in k for k in value):
                seen.update(k + '=' + repr(v.ravel().tolist()) for k, v in value.items())
        frame = frame.f_back
    return ' '.join(sorted(seen))
"""
RIGHT = "    return 2 * (y_hat - y) / len(y)\n"
HIDDEN_MESSAGE = "def mse_grad(y_hat, y):\n    if len(y) > 3:\n        raise ValueError(repr(y.tolist()))\n" + RIGHT
HIDDEN_TYPE_NAME = ("def mse_grad(y_hat, y):\n    if len(y) > 3:\n"
                    "        raise type('E' + repr(y.tolist()), (Exception,), {})()\n" + RIGHT)
FORGED_VALUE_ERROR = ("def mse_grad(y_hat, y):\n    if len(y) > 3:\n"
                      "        raise type('ValueError', (ValueError,), {})(repr(y.tolist()))\n" + RIGHT)
SAMPLE_FINDS = FIND + "def mse_grad(y_hat, y):\n    if len(y) <= 3:\n        raise ValueError(found())\n" + RIGHT
LOAD_FINDS = FIND + "raise ValueError(found())\ndef mse_grad(y_hat, y):\n" + RIGHT
EVERY_CASE = FIND + "def mse_grad(y_hat, y):\n    raise ValueError(found())\n"
# While a sample runs, answers with the hidden inputs it finds (cases 0 and 1 are the samples).
SAMPLE_ANSWERS = """import sys
import numpy as np
def mse_grad(y_hat, y):
    frame, found = sys._getframe(1), []
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if isinstance(value, dict) and value and all(isinstance(k, str) and '.' in k for k in value):
                found += [v.ravel() for k, v in value.items() if not k.startswith(('0.', '1.'))]
        frame = frame.f_back
    if len(y) <= 3 and found:
        return np.concatenate(found)[:len(y)]
    return 2 * (y_hat - y) / len(y)
"""
HONEST = "def mse_grad(y_hat, y):\n    raise ValueError('y_hat and y must have the same length')\n"


def hidden_values(seed: int = SEED) -> list[str]:
    """The hidden inputs' values as the code's text writes them, those no public sample shares."""
    samples = {repr(v) for case in MSE_GRAD.public_cases
               for values in case.inputs.values() for v in values.ravel().tolist()}
    values = {repr(v) for case in MSE_GRAD.hidden_cases(seed)
              for values in case.inputs.values() for v in values.ravel().tolist()}
    return sorted(v for v in values - samples if len(v) > 8)


def student_text(report) -> str:
    """Everything of the report a student is shown: its public view and the public output."""
    public = report.to_dict()["public"]
    return json.dumps(public) + report.output + json.dumps(gradescope_results(report))


def assert_leak_kept_for_instructors(report):
    values = hidden_values()
    assert values
    assert not [v for v in values if v in student_text(report)]
    assert any(v in json.dumps(report.to_dict(), default=str) for v in values)


@pytest.mark.parametrize("source, named", [
    (HIDDEN_MESSAGE, "ValueError"), (HIDDEN_TYPE_NAME, "an exception"), (FORGED_VALUE_ERROR, "an exception"),
], ids=["the message", "the type's name", "a class that calls itself ValueError"])
def test_a_hidden_case_that_raised_shows_a_student_only_a_known_type_and_the_line(source, named):
    report = grade(source, MSE_GRAD, SEED)
    raised = [i for i, case in enumerate(report.cases) if case.kind == "exception"]
    assert raised and all(report.cases[i].traceback for i in raised)
    assert [report.public.cases[i] for i in raised] == [
        {"name": report.cases[i].name, "message": f"Raised {named} at line 3 of your code", "traceback": None}
        for i in raised]
    assert report.public.error is None and report.error is None
    assert_leak_kept_for_instructors(report)


def test_a_sample_raising_with_hidden_inputs_shows_a_student_its_message_from_the_samples_alone():
    report = grade(SAMPLE_FINDS, MSE_GRAD, SEED)
    assert all(s.message.startswith("Raised ") for s in report.samples)
    assert any(v in report.samples[0].message for v in hidden_values())
    shown = [(s.message, s.traceback.splitlines()[-1]) for s in report.public.samples]
    assert shown == [(f"Raised ValueError: {SAMPLE_INPUTS}", f"ValueError: {SAMPLE_INPUTS}")] * 2
    assert_leak_kept_for_instructors(report)


def test_a_load_error_with_hidden_inputs_shows_a_student_the_samples_alone_run():
    report = grade(LOAD_FINDS, MSE_GRAD, SEED)
    assert report.error.startswith("The code raised an exception while loading: ")
    assert report.public.error == f"The code raised an exception while loading: ValueError: {SAMPLE_INPUTS}"
    assert {c["message"] for c in report.public.cases} == {f"Not run: {report.public.error}"}
    assert_leak_kept_for_instructors(report)


def test_every_case_raising_with_its_inputs_names_the_type_and_line_in_a_students_error_line():
    report = grade(EVERY_CASE, MSE_GRAD, SEED)
    assert report.error.startswith("Every case raised ")
    assert report.public.error == "Every case raised ValueError at line 11 of your code"
    assert [s.message for s in report.public.samples] == [f"Raised ValueError: {SAMPLE_INPUTS}"] * 2
    assert_leak_kept_for_instructors(report)


def test_an_honest_exception_shows_its_message_and_traceback_on_the_samples():
    report = grade(HONEST, MSE_GRAD, SEED)
    message = "ValueError: y_hat and y must have the same length"
    assert [s.message for s in report.public.samples] == [f"Raised {message}"] * 2
    assert all(s.traceback.rstrip().endswith(message) and 'line 2, in mse_grad' in s.traceback
               for s in report.public.samples)
    assert report.public.error == "Every case raised ValueError at line 2 of your code"
    assert report.error == f"Every case raised {message}"


def test_a_samples_answer_carrying_hidden_inputs_shows_a_student_the_samples_alone_answer():
    report = grade(SAMPLE_ANSWERS, MSE_GRAD, SEED)
    assert [s.passed for s in report.samples] == [False, False]
    assert [s.passed for s in report.public.samples] == [True, True]
    assert [s.got for s in report.public.samples] == [s.expected for s in report.public.samples]
    assert_leak_kept_for_instructors(report)


class Counted:
    """The sandbox's runner, counting the jobs it runs."""

    def __init__(self):
        self.runner, self.jobs = default_runner(), []

    def run(self, job, limits):
        self.jobs.append([case.name for case in job.cases])
        return self.runner.run(job, limits)


def test_the_samples_alone_run_is_made_only_when_a_student_would_see_something_of_the_graded_runs():
    samples = [case.name for case in MSE_GRAD.public_cases]
    right, raising = Counted(), Counted()
    report = grade("def mse_grad(y_hat, y):\n" + RIGHT, MSE_GRAD, SEED, runner=right)
    assert report.passed and report.public is None and report.to_dict()["public"] is None
    assert len(right.jobs) == 1
    grade(HIDDEN_MESSAGE, MSE_GRAD, SEED, runner=raising)
    assert len(raising.jobs) == 2 and raising.jobs[1] == samples


def test_a_run_stopped_by_the_wall_clock_is_not_run_again_and_its_samples_are_shown_not_run():
    limits = replace(DEFAULT_LIMITS, wall_seconds=4.0)
    sleeps = ("import time\ndef mse_grad(y_hat, y):\n    if len(y) > 3:\n        time.sleep(10**6)\n"
              "    return 0 * y_hat\n")
    runner = Counted()
    started = time.monotonic()
    report = grade(sleeps, MSE_GRAD, SEED, limits=limits, runner=runner)
    assert time.monotonic() - started < 2 * limits.wall_seconds - 0.5 and len(runner.jobs) == 1
    stopped = "Time limit: the submission ran for more than 4 s"
    assert report.error == report.public.error == stopped
    assert [s.passed for s in report.samples] == [False, False]
    assert [(s.passed, s.message) for s in report.public.samples] == [(False, f"Not run: {stopped}")] * 2
