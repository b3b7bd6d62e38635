"""What the code raised or answered in the graded run reaches a student only as the public view has it.

The API's detail and history, the result page and ``gradegrad status`` (which renders the API's
body) show a student no hidden input the code wrote into an exception or a sample's answer;
the instructor sees it.
"""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

from gradegrad_client.render import render_report
from grader.pipeline import grade
from tests.grader.test_public_view import (
    EVERY_CASE,
    HIDDEN_MESSAGE,
    HIDDEN_TYPE_NAME,
    HONEST,
    LOAD_FINDS,
    MSE_GRAD,
    SAMPLE_ANSWERS,
    SAMPLE_FINDS,
    hidden_values,
)
from tests.service.conftest import PASSWORD
from worker.grading import record_report

# Right on every case, but a sample's answer carries the hidden inputs it finds, far below the tolerance.
SAMPLE_LOW_DIGITS = """import sys
import numpy as np
def mse_grad(y_hat, y):
    frame, found = sys._getframe(1), []
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if isinstance(value, dict) and value and all(isinstance(k, str) and '.' in k for k in value):
                found += [v.ravel() for k, v in value.items() if not k.startswith(('0.', '1.'))]
        frame = frame.f_back
    right = 2 * (y_hat - y) / len(y)
    return right + np.concatenate(found)[:len(y)] * 1e-9 if len(y) <= 3 and found else right
"""


@pytest.fixture
def graded(session, make_user, make_submission):
    """ada's submission of ``source``, really graded and recorded as the worker records it, and an instructor."""
    def make(source: str):
        ada, prof = make_user("ada"), make_user("prof", role="instructor")
        submission = make_submission(ada, source=source, status="running")
        report = grade(source, MSE_GRAD, submission.seed)
        record_report(session, submission.id, report.to_dict())
        session.commit()
        return ada, prof, submission, report

    return make


def student_views(app, user, headers, submission_id) -> list[str]:
    """What a student receives: the API's detail and history, the result page, the terminal's status."""
    client = app.test_client()
    detail = client.get(f"/api/v1/submissions/{submission_id}", headers=headers).json
    listed = client.get("/api/v1/submissions", headers=headers).json
    pages = app.test_client()
    assert pages.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 302
    terminal = Console(file=io.StringIO(), width=200)
    render_report(detail, terminal)
    return [json.dumps(detail), json.dumps(listed), pages.get(f"/submissions/{submission_id}").text,
            terminal.file.getvalue()]


@pytest.mark.parametrize("source", [HIDDEN_MESSAGE, HIDDEN_TYPE_NAME, SAMPLE_FINDS, LOAD_FINDS, EVERY_CASE,
                                    SAMPLE_ANSWERS],
                         ids=["a hidden case's message", "a hidden case's type name", "a sample finding them",
                              "the file's load", "every case alike", "a sample's answer"])
def test_no_hidden_input_the_code_raised_with_reaches_a_student_and_the_instructor_sees_it(app, graded, token_for,
                                                                                           source):
    ada, prof, submission, report = graded(source)
    values = hidden_values(submission.seed)
    assert values
    for shown in student_views(app, ada, token_for(ada), submission.id):
        assert [v for v in values if v in shown] == []
    instructor = app.test_client().get(f"/api/v1/submissions/{submission.id}", headers=token_for(prof)).json
    assert any(v in json.dumps(instructor) for v in values)


def test_a_student_reads_the_public_view_and_an_honest_sample_exception_in_full(app, graded, token_for):
    ada, prof, submission, report = graded(HONEST)
    message = "ValueError: y_hat and y must have the same length"
    body = app.test_client().get(f"/api/v1/submissions/{submission.id}", headers=token_for(ada)).json
    assert body["error"] == "Every case raised ValueError at line 2 of your code"
    assert {(c["message"], c["traceback"]) for c in body["cases"]} == {
        ("Raised ValueError at line 2 of your code", None)}
    assert [s["message"] for s in body["samples"]] == [f"Raised {message}"] * 2
    assert all(s["traceback"].rstrip().endswith(message) for s in body["samples"])
    views = student_views(app, ada, token_for(ada), submission.id)
    assert all(message in shown for shown in views)
    instructor = app.test_client().get(f"/api/v1/submissions/{submission.id}", headers=token_for(prof)).json
    assert instructor["error"] == f"Every case raised {message}"
    assert {c["message"] for c in instructor["cases"]} == {f"Raised {message}"}


def test_a_passing_samples_answer_reaches_a_student_as_the_expected_answer_it_matched(app, graded, token_for):
    ada, prof, submission, report = graded(SAMPLE_LOW_DIGITS)
    assert report.passed and report.public is None
    assert all(s.passed and s.got != s.expected for s in report.samples)
    for viewer, shown in ((ada, "expected"), (prof, "got")):
        body = app.test_client().get(f"/api/v1/submissions/{submission.id}", headers=token_for(viewer)).json
        assert [s["got"] for s in body["samples"]] == [getattr(s, shown) for s in report.samples]
