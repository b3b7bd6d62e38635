"""The whole service, as processes: HTTP API -> database row -> Celery worker -> graded result in the database.

Runs against `gradegrad serve` on the embedded default (SQLite, kombu's SQLAlchemy transport) and on
the real Redis and PostgreSQL of this machine.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from web.catalogue import publish_catalogue
from web.db import session_factory
from web.models import CaseResult, Submission, User
from web.queue import LIVE, send_grading
from web.regrades import regrade_exercise

GRADEGRAD = [sys.executable, "-m", "gradegrad_client"]
WRONG = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y)\n"
RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"


def submit(service, source, user="ada"):
    answer = service.api("POST", "/submissions", user, json={"exercise": "mse_grad", "source": source})
    assert answer.status_code == 202, answer.text
    assert answer.json()["status"] == "queued"
    return answer.json()["id"]


def test_a_wrong_then_a_right_submission_are_graded_into_the_database(service, service_app):
    wrong, right = service.wait_graded(submit(service, WRONG)), service.wait_graded(submit(service, RIGHT))
    assert wrong["passed"] is False and 0 <= wrong["score"] < 1 and "1/n" in " ".join(wrong["hints"])
    assert right["passed"] is True and right["score"] == 1.0 and right["error"] is None
    with session_factory(service_app)() as session:
        row = session.get(Submission, wrong["id"])
        assert (row.status, row.passed, row.attempts) == ("graded", False, 1)
        assert [c.passed for c in row.cases] == [c["passed"] for c in wrong["cases"]]
        assert session.get(Submission, right["id"]).passed is True


def test_a_syntax_error_is_a_graded_result_not_a_task_failure(service):
    result = service.wait_graded(submit(service, "def mse_grad(y_hat, y)\n    return y\n"))
    assert result["status"] == "graded" and result["passed"] is False and "SyntaxError" in result["error"]


def test_another_students_submission_answers_404_over_http(service):
    submission_id = submit(service, WRONG, user="ada")
    answer = service.api("GET", f"/submissions/{submission_id}", user="grace")
    assert answer.status_code == 404 and "error" in answer.json()


def test_a_task_delivered_twice_grades_once(service, service_app):
    submission_id = submit(service, WRONG)
    celery = service_app.extensions["celery"]
    for _ in range(2):
        send_grading(celery, submission_id, LIVE)
    first = service.wait_graded(submission_id)
    time.sleep(1.5)  # let the duplicates arrive and find the row done
    with session_factory(service_app)() as session:
        row = session.get(Submission, submission_id)
        cases = session.scalar(select(func.count()).select_from(CaseResult).where(CaseResult.submission_id == row.id))
        assert row.attempts == 1 and row.graded_at is not None
        assert cases == len(first["cases"])


def test_a_submission_whose_task_vanished_is_found_and_graded_by_the_sweep(service, service_app):
    with session_factory(service_app)() as session:
        ada = session.scalar(select(User).where(User.username == "ada"))
        exercise = next(e for e in publish_catalogue(session) if e.name == "mse_grad")
        lost = Submission(user_id=ada.id, exercise_id=exercise.id, source=RIGHT, seed=3, status="queued")
        session.add(lost)  # committed, but no task was ever sent: as if the broker lost it
        session.commit()
        lost_id = lost.id
    assert service.wait_graded(lost_id, timeout=30)["passed"] is True


def test_a_bulk_regrade_does_not_hold_up_a_student_submitting_now(service, service_app):
    with session_factory(service_app)() as session:
        ada = session.scalar(select(User).where(User.username == "ada"))
        prof = session.scalar(select(User).where(User.username == "prof"))
        exercise = next(e for e in publish_catalogue(session) if e.name == "linreg_grad")
        session.add_all(Submission(user_id=ada.id, exercise_id=exercise.id, source="def linreg_grad(a, b, x, y):\n"
                                   "    return 0.0, 0.0\n", seed=i, status="graded") for i in range(16))
        session.commit()
        with service_app.app_context():
            regrade_exercise(session, exercise, prof)
        started = time.monotonic()
        live = service.wait_graded(submit(service, RIGHT), timeout=30)
        live_seconds = time.monotonic() - started
        session.expire_all()
        still_queued = session.scalar(select(func.count()).select_from(Submission).where(
            Submission.exercise_id == exercise.id, Submission.status != "graded"))
    assert live["passed"] is True
    assert still_queued >= 8, f"the live submission took {live_seconds:.2f} s; {still_queued} regrades left"


def test_the_embedded_broker_delivers_each_task_to_exactly_one_of_two_workers(embedded_service, tmp_path):
    """Two consumers of one SQLite queue: kombu takes each message under BEGIN IMMEDIATE."""
    second_log = tmp_path / "second-worker.log"
    with second_log.open("wb") as out:
        second = subprocess.Popen([*GRADEGRAD, "worker", "--queues", LIVE, "--concurrency", "1", "--name", "second@%h"],
                                  env=embedded_service.env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while " ready." not in second_log.read_text(errors="replace") and time.monotonic() < deadline:
            time.sleep(0.2)
        # As the instructor, who has no rate limit.
        ids = [submit(embedded_service, RIGHT if i % 2 else WRONG, user="prof") for i in range(30)]
        for submission_id in ids:
            embedded_service.wait_graded(submission_id, user="prof")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    received = re.findall(r"grade_submission\[([0-9a-f-]+)\] received",
                          embedded_service.log.read_text(errors="replace") + second_log.read_text(errors="replace"))
    second_count = len(re.findall(r"received", second_log.read_text(errors="replace")))
    assert len(received) == len(set(received)), "a task was delivered twice"
    assert second_count > 0, "the second worker took no task: the test proved nothing"


def test_failed_sign_ins_are_counted_once_for_all_web_processes(service):
    """`gradegrad serve` runs two gunicorn processes: the eleventh guess is refused whichever one answers."""
    guess = {"username": "mallory", "password": "password1"}
    assert [service.api("POST", "/tokens", json=guess).status_code for _ in range(10)] == [401] * 10
    answer = service.api("POST", "/tokens", json=guess)
    assert answer.status_code == 429 and "Too many failed sign-ins" in answer.json()["error"]
