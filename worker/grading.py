"""The database side of grading: claim a queued row, store a report, find lost work and queue it again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session

from gradegrad_client.strict_json import strict_value
from grader.course import current_course
from web.models import CaseResult, CourseExercise, Regrade, Status, Submission, WorkerHeartbeat, table_of, utcnow
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
    .values(status=Status.RUNNING, task_id=bindparam("holder"), worker=bindparam("run"), started_at=bindparam("now"),
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


def claim(session: Session | Connection, submission_id: int, task_id: str, max_attempts: int,
          worker: str | None = None) -> Claimed | None:
    """Mark the row running for ``task_id`` of the worker run ``worker``; None when another delivery has it or it
    is done.

    A queued row is claimed by one UPDATE, so two deliveries of the same task cannot both win.
    A running row is taken back only by the same task id: a retry, or a redelivery after its
    worker died. One round trip: grading throughput is bounded by the worker's own CPU.
    """
    won = session.execute(CLAIM, {"row": submission_id, "holder": task_id, "run": worker,
                                  "now": utcnow()}).one_or_none()
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


def held_by_lost_workers(session: Session, lost_after: float | None, running_after: float,
                         now: datetime | None = None) -> list[Submission]:
    """Running rows whose grading cannot end: their worker run missed its heartbeats for ``lost_after`` seconds
    (None: do not judge workers, the database itself was away), or they outlived every time limit
    (``running_after``), whoever holds them. A row claimed less than ``lost_after`` ago is left alone: its
    worker may not have written its first heartbeat yet. Locked until the caller commits.
    """
    now = now or utcnow()
    lost = Submission.started_at < now - timedelta(seconds=running_after)
    if lost_after is not None:
        alive = select(WorkerHeartbeat.name).where(WorkerHeartbeat.beat_at >= now - timedelta(seconds=lost_after))
        lost = lost | (Submission.worker.is_not(None) & Submission.worker.not_in(alive)
                       & (Submission.started_at < now - timedelta(seconds=lost_after)))
    return list(session.scalars(select(Submission).where(Submission.status == Status.RUNNING, lost)
                                .with_for_update(skip_locked=True)))


def queued_submissions(session: Session, *, unsent: bool, queued_before: datetime | None) -> list[Submission]:
    """Queued rows that the sweep may have to send again, locked until the caller commits: those never sent
    (``unsent``: no task id, the broker was down) and those queued before ``queued_before``."""
    wanted: list[ColumnElement[bool]] = []
    if unsent:
        wanted.append(Submission.task_id.is_(None))
    if queued_before is not None:
        wanted.append(Submission.queued_at < queued_before)
    if not wanted:
        return []
    return list(session.scalars(select(Submission).where(Submission.status == Status.QUEUED, or_(*wanted))
                                .with_for_update(skip_locked=True)))


def mark_requeued(rows: list[Submission], now: datetime | None = None) -> None:
    """Queue each row again with a fresh queued_at and the id of the new task to send for it, as a new
    submission is; a duplicate delivery is harmless, since claim() lets one through."""
    now = now or utcnow()
    for row in rows:
        row.status, row.queued_at, row.task_id = Status.QUEUED, now, new_task_id()


def forget_old_heartbeats(session: Session, older_than: timedelta, now: datetime | None = None) -> None:
    """Delete the heartbeats of worker runs long gone (each restart of a worker is a new run)."""
    session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < (now or utcnow()) - older_than))
