"""Regrading after an exercise was fixed: the audit row, the row queued again, then the task (on its own queue)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from web.models import CourseExercise, Regrade, Status, Submission, User, utcnow
from web.queue import REGRADE, new_task_id
from web.submissions import enqueue


def mark_for_regrade(session: Session, submission: Submission, by: User) -> None:
    """Audit the old result and put the row back in the queue; the caller commits, then enqueues."""
    session.add(Regrade(submission_id=submission.id, requested_by_id=by.id,
                        old_score=submission.score, old_passed=submission.passed))
    submission.status, submission.queue, submission.queued_at = Status.QUEUED, REGRADE, utcnow()
    submission.task_id, submission.attempts = new_task_id(), 0


def regrade_submission(session: Session, submission: Submission, by: User) -> None:
    mark_for_regrade(session, submission, by)
    session.commit()
    enqueue(session, submission, REGRADE)


def regrade_exercise(session: Session, published: CourseExercise, by: User) -> int:
    """Queue every submission of ``published`` for regrading on the regrade queue; returns how many."""
    rows = list(session.scalars(select(Submission).where(Submission.exercise_id == published.id)
                                .order_by(Submission.id)))
    for row in rows:
        mark_for_regrade(session, row, by)
    session.commit()
    for row in rows:
        enqueue(session, row, REGRADE)
    return len(rows)


def regrades_of(session: Session, submission: Submission) -> list[Regrade]:
    """The audit of a submission's regrades, newest first."""
    return list(session.scalars(select(Regrade).where(Regrade.submission_id == submission.id)
                                .order_by(Regrade.id.desc())))
