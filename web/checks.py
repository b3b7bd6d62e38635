"""Checks against the public samples, before spending an attempt: a queued row, then its task.

The design, and why:

- Student code never runs in the web process: a check is graded by a worker, like a submission.
  The view commits a ``SampleCheck`` row and only then sends ``worker.checks.check_samples`` with
  the row's id on the live queue, where a student waiting for an answer is served; the task runs
  ``grader.pipeline.check_samples``, which runs the public samples alone.
- A check is a row of its own table, not a kind of submission: every query that counts attempts,
  applies the hourly limit, lists a history, fills the gradebook or regrades reads ``submissions``,
  and none of them needs a filter that a later one could forget. A check has no seed, no hidden
  case and no score.
- It has its own limit (CHECKS_PER_MINUTE, web/limits.py:check_rate), since it costs no attempt.
- A check is disposable: with the broker unreachable it is refused (503) and its row removed, where
  a submission would wait for the sweep; a task lost later is shown as failed after
  CHECK_LOST_AFTER_SECONDS. A student's checks are kept an hour (KEPT_FOR), then deleted.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import current_app
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy import delete
from sqlalchemy.orm import Session

from gradegrad_client.strict_json import strict_value
from web.catalogue import exercise_of
from web.limits import Refused, check_rate
from web.models import FINISHED, IN_FLIGHT, CourseExercise, SampleCheck, Status, User, utcnow
from web.queue import new_task_id, send_check
from web.submissions import MAX_ID, read_program

log = logging.getLogger(__name__)
KEPT_FOR = timedelta(hours=1)
QUEUE_DOWN = ("The grading queue cannot be reached right now; nothing was checked and nothing was counted. "
              "Try again in a minute")
QUEUE_RETRY_SECONDS = 60
LOST = "This check was lost on its way through the grading queue; it cost nothing: check again"


def create_check(session: Session, user: User, published: CourseExercise, filename: str,
                 data: bytes) -> SampleCheck:
    """A queued check of ``data`` (a .py file or a notebook) against ``published``'s public samples.

    The file is read before check_rate locks the student's row, as create_submission does.
    """
    if not exercise_of(published).public_cases:
        raise Refused(400, f"{published.name} has no public samples to check against")
    source = strict_value(read_program(published, filename, data).source)  # a skipped cell may hold a NUL
    check_rate(session, user)
    now = utcnow()
    session.execute(delete(SampleCheck).where(SampleCheck.user_id == user.id,
                                              SampleCheck.created_at < now - KEPT_FOR))
    check = SampleCheck(user_id=user.id, exercise_id=published.id, filename=strict_value(filename)[:255],
                        source=source, status=Status.QUEUED, task_id=new_task_id(), created_at=now)
    session.add(check)
    session.flush()
    return check


def start_check(session: Session, user: User, published: CourseExercise, filename: str, data: bytes) -> SampleCheck:
    """Commit the check's row, then send its task; with the broker down, take the row back and refuse."""
    check = create_check(session, user, published, filename, data)
    session.commit()
    try:
        send_check(current_app.extensions["celery"], check.id, check.task_id or "")
    except BrokerError as exc:
        log.warning("broker unreachable, check %s refused: %s", check.id, exc)
        session.delete(check)
        session.commit()
        raise Refused(503, QUEUE_DOWN, retry_after=QUEUE_RETRY_SECONDS) from None
    return check


def visible_check(session: Session, user: User, check_id: int) -> SampleCheck | None:
    """The check if it is ``user``'s own; one in flight for longer than any task lives is marked lost."""
    if not 0 < check_id <= MAX_ID:
        return None
    check = session.get(SampleCheck, check_id)
    if check is None or check.user_id != user.id:
        return None
    lost_after = timedelta(seconds=float(current_app.config["CHECK_LOST_AFTER_SECONDS"]))
    if check.status in IN_FLIGHT and check.created_at < utcnow() - lost_after:
        check.status, check.error, check.passed, check.finished_at = Status.ERROR, LOST, False, utcnow()
        session.commit()
    return check


def check_dict(check: SampleCheck) -> dict[str, Any]:
    """The API's view of a check: once finished, every sample with its inputs, expected and got values.

    All of it may be shown: the check's run held the public samples' inputs and nothing else.
    """
    data: dict[str, Any] = {"id": check.id, "exercise": check.exercise.name, "status": check.status,
                            "filename": check.filename, "created_at": check.created_at.isoformat() + "Z"}
    if check.status in FINISHED:
        report = check.report or {}
        data.update(passed=bool(check.passed), error=check.error, samples=report.get("samples") or [],
                    output=report.get("output") or "")
    return data
