"""The worker's side of the database: one claim per submission, results stored once, lost work found."""

from __future__ import annotations

from datetime import timedelta

from web.models import CaseResult, Submission, utcnow
from worker.grading import claim, lost_submissions, record_failure, record_report

REPORT = {"score": 0.5, "passed": False, "error": None, "hints": [], "samples": [], "output": "",
          "cases": [{"name": "a", "passed": True, "message": "Right", "kind": "right"},
                    {"name": "b", "passed": False, "message": "no", "kind": "values"}]}


def test_a_queued_submission_is_claimed_by_one_task_only(session, make_user, make_submission):
    submission = make_submission(make_user(), status="queued")
    assert claim(session, submission.id, "task-1", 3) is not None
    assert claim(session, submission.id, "task-2", 3) is None


def test_the_same_task_may_claim_again_after_its_worker_died(session, make_user, make_submission):
    submission = make_submission(make_user(), status="queued")
    claim(session, submission.id, "task-1", 3)
    again = claim(session, submission.id, "task-1", 3)
    assert again is not None and again.source == submission.source
    assert session.get(Submission, submission.id, populate_existing=True).attempts == 2


def test_a_graded_submission_is_not_claimed_again(session, make_user, make_submission):
    submission = make_submission(make_user(), status="queued")
    claim(session, submission.id, "task-1", 3)
    record_report(session, submission.id, REPORT)
    session.commit()
    assert claim(session, submission.id, "task-1", 3) is None


def test_storing_a_report_twice_keeps_one_set_of_case_results(session, make_user, make_submission):
    submission = make_submission(make_user(), status="running")
    record_report(session, submission.id, REPORT)
    session.commit()
    record_report(session, submission.id, REPORT)
    session.commit()
    assert session.query(CaseResult).count() == 2


def test_too_many_attempts_end_as_an_error_for_the_student(session, make_user, make_submission):
    submission = make_submission(make_user(), status="queued", attempts=3)
    assert claim(session, submission.id, "task-1", 3) is None
    session.commit()
    row = session.get(Submission, submission.id, populate_existing=True)
    assert row.status == "error" and "3 times" in row.error
    assert row.charged is False  # redelivered after the database went away or a worker died: the host's fault


def test_a_grader_failure_is_stored_as_status_error(session, make_user, make_submission):
    submission = make_submission(make_user(), status="running")
    record_failure(session, submission.id, "Grading took too long")
    session.commit()
    row = session.get(Submission, submission.id, populate_existing=True)
    assert (row.status, row.score, row.error) == ("error", 0.0, "Grading took too long")


def test_the_sweep_finds_stale_queued_and_running_rows_only(session, make_user, make_submission):
    ada, old = make_user(), utcnow() - timedelta(minutes=10)
    stale_queued = make_submission(ada, status="queued", queued_at=old)
    stale_running = make_submission(ada, status="running", started_at=old)
    make_submission(ada, status="queued")
    make_submission(ada, status="graded", queued_at=old)
    found = lost_submissions(session, requeue_after=60, running_after=120)
    assert sorted(s.id for s in found) == [stale_queued.id, stale_running.id]
    assert all(s.status == "queued" and s.queued_at > old for s in found)
    assert all(s.task_id for s in found) and len({s.task_id for s in found}) == 2  # the ids of the tasks to send
    assert lost_submissions(session, requeue_after=60, running_after=120) == []

