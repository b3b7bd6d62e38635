"""The database side of grading: claim a queued row, store a report, find and re-queue lost work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from gradegrad_client.strict_json import strict_value
from grader.course import current_course
from web.models import CaseResult, CourseExercise, Regrade, Status, Submission, table_of, utcnow
from web.queue import REGRADE, new_task_id

# The statements of every grading, built once as Core statements on the tables: building one
# costs more CPU than running it, and ORM-enabled statements cost more again (docs/benchmarks.md).
# Bound parameters are named apart from the columns they set.
_rows, _cases, _exercises, _regrades = (table_of(model) for model in (Submission, CaseResult, CourseExercise, Regrade))
CLAIM = (
    update(_rows)
    .where(_rows.c.id == bindparam("row"),
           or_(_rows.c.status == Status.QUEUED,
               (_rows.c.status == Status.RUNNING) & (_rows.c.task_id == bindparam("holder"))))
    .values(status=Status.RUNNING, task_id=bindparam("holder"), started_at=bindparam("now"),
            attempts=_rows.c.attempts + 1)
    .returning(_rows.c.attempts, _rows.c.source, _rows.c.seed,
               select(_exercises.c.name).where(_exercises.c.id == _rows.c.exercise_id)
               .scalar_subquery().label("exercise"))
)
DELETE_CASES = delete(_cases).where(_cases.c.submission_id == bindparam("row"))
INSERT_CASES = insert(_cases)
FINISH = (
    update(_rows).where(_rows.c.id == bindparam("row"))
    .values(graded_at=bindparam("now"), status=bindparam("outcome"), score=bindparam("new_score"),
            passed=bindparam("new_passed"), error=bindparam("message"), report=bindparam("extras"),
            charged=bindparam("costs_attempt"))
    .returning(_rows.c.queue)
)
FINISH_REGRADES = (
    update(_regrades).where(_regrades.c.submission_id == bindparam("row"), _regrades.c.finished_at.is_(None))
    .values(new_score=bindparam("new_score"), new_passed=bindparam("new_passed"), finished_at=bindparam("now"))
)


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
    won = session.execute(CLAIM, {"row": submission_id, "holder": task_id, "now": utcnow()}).one_or_none()
    if won is None:
        return None
    if won.attempts > max_attempts:
        # Deliveries are repeated by retries after the database went away and by workers that died: the host's.
        record_failure(session, submission_id, f"Grading failed {max_attempts} times; ask your instructor",
                       charged=False)
        return None
    return Claimed(submission_id, won.exercise, won.source, won.seed)


def record_report(session: Session | Connection, submission_id: int, report: dict[str, Any]) -> None:
    """Store a finished grading (a student's failure included) as the row's result, replacing any old one.

    The report is made strict first: the student's NaN answers and NUL characters are stored as
    text, never refused by the database (which would only retry the grading into the same refusal).
    """
    report = strict_value(report)
    exercise = current_course().exercises.get(report.get("exercise", ""))
    mistakes = {m.hint: m.name for m in exercise.mistakes} if exercise else {}
    session.execute(DELETE_CASES, {"row": submission_id})
    if report["cases"]:
        session.execute(INSERT_CASES, [
            {"submission_id": submission_id, "position": i, "name": c["name"], "passed": c["passed"],
             "kind": c["kind"], "message": c["message"], "hint": c.get("hint"), "mistake": mistakes.get(c.get("hint")),
             "traceback": c.get("traceback")}
            for i, c in enumerate(report["cases"])])
    finish(session, submission_id, Status.GRADED, report["score"], report["passed"], report["error"],
           {key: report.get(key) for key in ("hints", "samples", "output", "hidden_output", "public")}, charged=True)


def record_failure(session: Session | Connection, submission_id: int, message: str, *, charged: bool = True) -> None:
    """The grader could not finish: status error, with the reason for the student.

    charged: False only for a fault of the host (sandbox unavailable, database down, the task's time limit);
    a failure the submission provoked (a crash of the grader on its reply, say) costs the attempt.
    """
    session.execute(DELETE_CASES, {"row": submission_id})
    finish(session, submission_id, Status.ERROR, 0.0, False, message, None, charged=charged)


def fail_if_held(session: Session, submission_id: int, task_id: str, message: str, *, charged: bool) -> bool:
    """record_failure() only while ``task_id`` still holds the row: never over another delivery's work."""
    held = session.scalar(select(Submission.id).where(
        Submission.id == submission_id, Submission.status == Status.RUNNING, Submission.task_id == task_id,
    ).with_for_update())
    if held is None:
        return False
    record_failure(session, submission_id, message, charged=charged)
    return True


def finish(session: Session | Connection, submission_id: int, status: str, score: float, passed: bool,
           error: str | None, report: dict[str, Any] | None, *, charged: bool) -> None:
    """Write the outcome on the row and, for a regrade, on its open audit rows."""
    values = {"row": submission_id, "now": utcnow(), "outcome": status, "new_score": score, "new_passed": passed,
              "message": error, "extras": report, "costs_attempt": charged}
    if session.execute(FINISH, values).scalar_one() == REGRADE:
        session.execute(FINISH_REGRADES, values)


def lost_submissions(session: Session, requeue_after: float, running_after: float,
                     now: datetime | None = None) -> list[Submission]:
    """Rows whose task has vanished: queued too long, or running longer than any task may run.

    Each is marked queued again with a fresh queued_at, so the next sweep leaves it alone
    for another ``requeue_after`` seconds, and with the id of the task to send for it, as a
    new submission is; a duplicate delivery is harmless, since claim() lets one through.
    """
    now = now or utcnow()
    rows = list(session.scalars(select(Submission).where(or_(
        (Submission.status == Status.QUEUED) & (Submission.queued_at < now - timedelta(seconds=requeue_after)),
        (Submission.status == Status.RUNNING) & (Submission.started_at < now - timedelta(seconds=running_after)),
    )).with_for_update(skip_locked=True)))
    for row in rows:
        row.status, row.queued_at, row.task_id = Status.QUEUED, now, new_task_id()
    return rows
