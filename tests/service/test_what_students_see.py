"""What a student sees of the hidden cases, on every route, and what their instructor sees.

With an exercise's hidden verdicts off, a student sees neither each hidden case's verdict nor
the hints those verdicts gave; whatever the setting, what the code printed in the graded run
(``hidden_output``) is for instructors only, and students see what it prints on the samples.
"""

from __future__ import annotations

import json

import pytest

from exercises import get_exercise
from grader.pipeline import grade
from tests.service.conftest import PASSWORD
from worker.grading import record_report

# Right on the public samples (n <= 3), the sign wrong on longer hidden cases; prints its input.
SIGN_WRONG_WHEN_LONG = """def mse_grad(y_hat, y):
    print('y_hat =', y_hat.tolist())
    sign = -1 if len(y) > 3 else 1
    return sign * 2 * (y_hat - y) / len(y)
"""
SIGN_HINT = "the opposite sign of the true gradient"
SEED = 7


@pytest.fixture
def graded(session, make_user, make_submission, published):
    """ada's graded submission (a real grading) and an instructor; ``graded(show_verdicts)``."""
    def make(show_verdicts: bool):
        published("mse_grad").show_hidden_results = show_verdicts
        session.commit()
        ada, prof = make_user("ada"), make_user("prof", role="instructor")
        submission = make_submission(ada, source=SIGN_WRONG_WHEN_LONG, status="running")
        report = grade(SIGN_WRONG_WHEN_LONG, get_exercise("mse_grad"), SEED)
        assert 0 < report.score < 1 and any(SIGN_HINT in hint for hint in report.hints)
        assert all(sample.passed and sample.hint is None for sample in report.samples)
        record_report(session, submission.id, report.to_dict())
        session.commit()
        return ada, prof, submission, report

    return make


def hidden_inputs(report) -> list[str]:
    """The printed lines that only a hidden case's inputs produce."""
    public = report.output.splitlines()
    return [line for line in report.hidden_output.splitlines() if line not in public]


def signed_in(app, user):
    client = app.test_client()
    answer = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert answer.status_code == 302, answer.text
    return client


def test_hidden_verdicts_off_hide_each_verdict_and_its_hints_from_every_student_route(app, graded, token_for):
    ada, _, submission, report = graded(show_verdicts=False)
    headers = token_for(ada)
    client = app.test_client()
    detail = client.get(f"/api/v1/submissions/{submission.id}", headers=headers).json
    listed = client.get("/api/v1/submissions", headers=headers).json
    for body in (detail, listed[0]):
        assert body["score"] == report.score and body["passed"] is False
        assert body["hints"] == []
        assert [case["passed"] for case in body["cases"]] == [None] * len(report.cases)
        assert {(case["message"], case["kind"], case["hint"], case["traceback"]) for case in body["cases"]} == \
            {("Hidden by the instructor", "hidden", None, None)}
        assert SIGN_HINT not in json.dumps(body)
    pages = signed_in(app, ada)
    result = pages.get(f"/submissions/{submission.id}").text
    assert "Hidden by the instructor" in result
    assert SIGN_HINT not in result and "✓" not in result and "✗" not in result and 'class="pass"' not in result
    history = pages.get("/submissions").text
    assert f"/submissions/{submission.id}" in history and SIGN_HINT not in history


def test_an_instructor_sees_every_verdict_hint_and_the_hidden_output(app, graded, token_for):
    _, prof, submission, report = graded(show_verdicts=False)
    body = app.test_client().get(f"/api/v1/submissions/{submission.id}", headers=token_for(prof)).json
    assert [case["passed"] for case in body["cases"]] == [case.passed for case in report.cases]
    assert body["hints"] == report.hints and body["hidden_output"] == report.hidden_output
    page = signed_in(app, prof).get(f"/instructor/submissions/{submission.id}").text
    assert SIGN_HINT in page and "✓" in page and "✗" in page
    assert all(line in page for line in hidden_inputs(report)) and "instructors only" in page


@pytest.mark.parametrize("show_verdicts", [True, False], ids=["verdicts shown", "verdicts hidden"])
def test_a_student_sees_the_output_of_the_samples_and_never_that_of_the_hidden_cases(app, graded, token_for,
                                                                                   show_verdicts):
    ada, _, submission, report = graded(show_verdicts)
    leaked = hidden_inputs(report)
    assert leaked and report.output == "y_hat = [0.8]\ny_hat = [1.0, 2.0, 3.0]\n"
    headers = token_for(ada)
    client = app.test_client()
    for body in (client.get(f"/api/v1/submissions/{submission.id}", headers=headers).json,
                 client.get("/api/v1/submissions", headers=headers).json[0]):
        assert "hidden_output" not in body and body["output"] == report.output
        assert not any(line in json.dumps(body) for line in leaked)
    page = signed_in(app, ada).get(f"/submissions/{submission.id}").text
    assert "y_hat = [1.0, 2.0, 3.0]" in page and not any(line in page for line in leaked)
    assert "instructors only" not in page
    if show_verdicts:
        body = client.get(f"/api/v1/submissions/{submission.id}", headers=headers).json
        assert [case["passed"] for case in body["cases"]] == [case.passed for case in report.cases]
        assert any(SIGN_HINT in hint for hint in body["hints"])
