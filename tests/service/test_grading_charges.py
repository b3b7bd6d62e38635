"""Which failed gradings cost the student an attempt: one the submission provoked does, one of the host does not.

The grading task runs in this process on the test's database; the grader's failure is injected where the
task calls it, since a crash of the grader on a submission's reply is a bug that is fixed once it is found.
"""

from __future__ import annotations

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy import select

from grader.sandbox import SandboxUnavailable
from web.models import Submission
from worker import tasks

RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"


def submit(client, headers):
    return client.post("/api/v1/submissions", json={"exercise": "mse_grad", "source": RIGHT}, headers=headers)


def grade_with_fault(app, session, monkeypatch, fault: BaseException) -> Submission:
    """Run the grading task of the one queued row, its grader raising ``fault``; the row as stored after."""
    def failing_grade(*_args, **_kwargs):
        raise fault

    monkeypatch.setattr(tasks, "grade", failing_grade)
    row = session.scalar(select(Submission).where(Submission.status == "queued"))
    with app.app_context():
        tasks.grade_submission.apply(args=[row.id], task_id=row.task_id)
    session.expire_all()
    return session.get_one(Submission, row.id)


def test_a_grader_crash_the_submission_provoked_counts_against_the_hourly_limit(app, client, session, make_user,
                                                                                token_for, published, monkeypatch):
    published("mse_grad").per_hour = 2
    session.commit()
    headers = token_for(make_user())
    for _ in range(2):
        assert submit(client, headers).status_code == 202
        row = grade_with_fault(app, session, monkeypatch, KeyError("answers"))
        assert (row.status, row.charged) == ("error", True)
        assert row.error == ("The grader failed on this submission (KeyError); it counts as an attempt; "
                             "your instructor can regrade it")
    answer = submit(client, headers)
    assert answer.status_code == 429 and answer.json["error"].startswith("Rate limit: mse_grad takes 2 submissions")


@pytest.mark.parametrize(("fault", "message"), [
    (SandboxUnavailable("no user namespaces"), "The grading server cannot isolate code right now"),
    (SoftTimeLimitExceeded(), "Grading took too long and was stopped"),
], ids=["sandbox-unavailable", "task-time-limit"])
def test_a_fault_of_the_host_costs_nothing(app, client, session, make_user, token_for, published, monkeypatch, fault,
                                           message):
    published("mse_grad").per_hour = 1
    session.commit()
    headers = token_for(make_user())
    assert submit(client, headers).status_code == 202
    row = grade_with_fault(app, session, monkeypatch, fault)
    assert (row.status, row.charged) == ("error", False) and row.error.startswith(message)
    assert submit(client, headers).status_code == 202
