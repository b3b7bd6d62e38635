"""The database side of grading: claim a queued row, store a report, find and re-queue lost work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from exercises import EXERCISES
from web.models import CaseResult, CourseExercise, Regrade, Submission, utcnow
from worker.queue import REGRADE, new_task_id


EXERCISE_NAME = (select(CourseExercise.name).where(CourseExercise.id == Submission.exercise_id)
                 .scalar_subquery().label("exercise"))


@dataclass(frozen=True)
class Claimed:
    """What the task needs to grade, read while it held the row."""

    submission_id: int
    exercise: str
    source: str
    seed: int


def claim(session: Session | Connection, submission_id: int, task_id: str, max_attempts: int) -> Claimed | None:
    """Mark the row running for ``task_id``; None when another delivery has it or it is done.

    A queued row is claimed by one UPDATE, so two deliveries of the same task cannot both win.
    A running row is taken back only by the same task id: a retry, or a redelivery after its
    worker died. One round trip: grading throughput is bounded by the worker's own CPU.
    """
    won = session.execute(
        update(Submission)
        .where(Submission.id == submission_id,
               or_(Submission.status == "queued", (Submission.status == "running") & (Submission.task_id == task_id)))
        .values(status="running", task_id=task_id, started_at=utcnow(), attempts=Submission.attempts + 1)
        .returning(Submission.attempts, Submission.source, Submission.seed, EXERCISE_NAME)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if won is None:
        return None
    if won.attempts > max_attempts:
        record_failure(session, submission_id, f"Grading failed {max_attempts} times; ask your instructor")
        return None
    return Claimed(submission_id, won.exercise, won.source, won.seed)


def record_report(session: Session | Connection, submission_id: int, report: dict[str, Any]) -> None:
    """Store a finished grading (a student's failure included) as the row's result, replacing any old one."""
    exercise = EXERCISES.get(report.get("exercise", ""))
    mistakes = {m.hint: m.name for m in exercise.mistakes} if exercise else {}
    session.execute(delete(CaseResult).where(CaseResult.submission_id == submission_id))
    if report["cases"]:
        session.execute(insert(CaseResult), [
            {"submission_id": submission_id, "position": i, "name": c["name"], "passed": c["passed"],
             "kind": c["kind"], "message": c["message"], "hint": c.get("hint"), "mistake": mistakes.get(c.get("hint")),
             "traceback": c.get("traceback")}
            for i, c in enumerate(report["cases"])])
    finish(session, submission_id, status="graded", score=report["score"], passed=report["passed"],
           error=report["error"], report={key: report.get(key) for key in ("hints", "samples", "output")})


def record_failure(session: Session | Connection, submission_id: int, message: str) -> None:
    """The grader itself could not finish: status error, with the reason for the student."""
    session.execute(delete(CaseResult).where(CaseResult.submission_id == submission_id))
    finish(session, submission_id, status="error", score=0.0, passed=False, error=message, report=None)


def fail_if_held(session: Session, submission_id: int, task_id: str, message: str) -> bool:
    """record_failure() only while ``task_id`` still holds the row: never over another delivery's work."""
    held = session.scalar(select(Submission.id).where(
        Submission.id == submission_id, Submission.status == "running", Submission.task_id == task_id,
    ).with_for_update())
    if held is None:
        return False
    record_failure(session, submission_id, message)
    return True


def finish(session: Session | Connection, submission_id: int, **values: Any) -> None:
    """Write the outcome on the row and, for a regrade, on its open audit rows."""
    queue = session.execute(
        update(Submission).where(Submission.id == submission_id).values(graded_at=utcnow(), **values)
        .returning(Submission.queue).execution_options(synchronize_session=False)
    ).scalar_one()
    if queue == REGRADE:
        session.execute(update(Regrade).where(Regrade.submission_id == submission_id, Regrade.finished_at.is_(None))
                        .values(new_score=values["score"], new_passed=values["passed"], finished_at=utcnow()))


def lost_submissions(session: Session, requeue_after: float, running_after: float,
                     now: datetime | None = None) -> list[Submission]:
    """Rows whose task has vanished: queued too long, or running longer than any task may run.

    Each is marked queued again with a fresh queued_at, so the next sweep leaves it alone
    for another ``requeue_after`` seconds, and with the id of the task to send for it, as a
    new submission is; a duplicate delivery is harmless, since claim() lets one through.
    """
    now = now or utcnow()
    rows = list(session.scalars(select(Submission).where(or_(
        (Submission.status == "queued") & (Submission.queued_at < now - timedelta(seconds=requeue_after)),
        (Submission.status == "running") & (Submission.started_at < now - timedelta(seconds=running_after)),
    )).with_for_update(skip_locked=True)))
    for row in rows:
        row.status, row.queued_at, row.task_id = "queued", now, new_task_id()
    return rows
