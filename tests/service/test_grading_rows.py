"""The worker's side of the database: one claim per submission, results stored once, lost work found."""

from __future__ import annotations

from datetime import timedelta

from web.models import CaseResult, Submission, WorkerHeartbeat, utcnow
from worker.grading import claim, held_by_lost_workers, mark_requeued, queued_submissions, record_failure, record_report

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


def test_the_sweep_finds_the_rows_of_a_worker_that_stopped_beating_and_leaves_a_live_ones(session, make_user,
                                                                                            make_submission):
    ada, now = make_user(), utcnow()
    session.add_all([WorkerHeartbeat(name="dead#1", beat_at=now - timedelta(seconds=7)),
                     WorkerHeartbeat(name="alive#2", beat_at=now - timedelta(seconds=1))])
    long_ago = now - timedelta(seconds=30)
    of_the_dead = make_submission(ada, status="running", worker="dead#1", started_at=long_ago)
    make_submission(ada, status="running", worker="alive#2", started_at=long_ago)  # a slow grading, still held
    make_submission(ada, status="running", worker="dead#1", started_at=now)  # claimed just now: not judged yet
    never_beat = make_submission(ada, status="running", worker="gone#3", started_at=long_ago)
    make_submission(ada, status="graded", worker="dead#1", started_at=long_ago)
    found = held_by_lost_workers(session, lost_after=6, running_after=120, now=now)
    assert sorted(s.id for s in found) == [of_the_dead.id, never_beat.id]


def test_the_sweep_judges_no_worker_after_the_database_was_away_but_still_finds_rows_past_every_limit(
        session, make_user, make_submission):
    ada, now = make_user(), utcnow()
    make_submission(ada, status="running", worker="dead#1", started_at=now - timedelta(seconds=30))
    past_limits = make_submission(ada, status="running", worker="dead#1", started_at=now - timedelta(minutes=10))
    unknown_holder = make_submission(ada, status="running", started_at=now - timedelta(minutes=10))
    found = held_by_lost_workers(session, lost_after=None, running_after=120, now=now)
    assert sorted(s.id for s in found) == [past_limits.id, unknown_holder.id]


def test_the_sweep_finds_queued_rows_never_sent_and_those_queued_before_a_time(session, make_user, make_submission):
    ada, old = make_user(), utcnow() - timedelta(minutes=10)
    unsent = make_submission(ada, status="queued", task_id=None)
    stale = make_submission(ada, status="queued", task_id="t-1", queued_at=old)
    make_submission(ada, status="queued", task_id="t-2")
    make_submission(ada, status="graded", task_id=None, queued_at=old)
    assert [s.id for s in queued_submissions(session, unsent=True, queued_before=None)] == [unsent.id]
    found = queued_submissions(session, unsent=True, queued_before=utcnow() - timedelta(minutes=1))
    assert sorted(s.id for s in found) == [unsent.id, stale.id]
    mark_requeued(found)
    session.commit()
    assert all(s.status == "queued" and s.queued_at > old for s in found)
    assert all(s.task_id for s in found) and len({s.task_id for s in found}) == 2  # the ids of the tasks to send
    assert queued_submissions(session, unsent=True, queued_before=utcnow() - timedelta(minutes=1)) == []
