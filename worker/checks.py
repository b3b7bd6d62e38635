"""The check task: run a student's code on the public samples alone and store what it did (see web/checks.py)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from gradegrad_client.strict_json import strict_value
from grader.course import current_course
from grader.exercise import UnknownExercise
from grader.pipeline import check_samples as run_samples
from grader.sandbox import SandboxUnavailable
from web.db import session_factory, session_scope
from web.models import CourseExercise, SampleCheck, Status, utcnow
from worker.tasks import INFRASTRUCTURE_ERRORS, TOO_LONG, unknown_exercise

CANNOT_ISOLATE = "The grading server cannot isolate code right now; nothing was checked: try again later"


@shared_task(bind=True, autoretry_for=INFRASTRUCTURE_ERRORS, retry_backoff=1, retry_backoff_max=30,
             max_retries=8, acks_late=True)
def check_samples(self, check_id: int) -> str:
    """Check the row ``check_id`` once: a redelivered or duplicate task finds it taken or done.

    A check grades nothing, so every failure is only a message on the row; the infrastructure's
    errors are retried.
    """
    factory = session_factory(current_app)
    with session_scope(factory) as session:
        claimed = claim_check(session, check_id, self.request.id, current_app.config["MAX_GRADING_ATTEMPTS"])
    if claimed is None:
        return "skipped"
    source, name = claimed
    try:
        report = run_samples(source, current_course().exercises.get_exercise(name)).to_dict()
    except UnknownExercise:
        return store(factory, check_id, error=unknown_exercise(name))
    except SoftTimeLimitExceeded:
        return store(factory, check_id, error=TOO_LONG)
    except SandboxUnavailable:
        return store(factory, check_id, error=CANNOT_ISOLATE)
    except Exception as exc:  # a crash of the grader on what this code sent back: said, then raised for the log
        store(factory, check_id, error=f"The grader failed on this check ({type(exc).__name__})")
        raise
    return store(factory, check_id, report=report)


def claim_check(session: Session, check_id: int, task_id: str, max_attempts: int) -> tuple[str, str] | None:
    """(source, exercise) once the row is marked running for ``task_id``; None when another delivery has it,
    it is done, or deliveries failed ``max_attempts`` times (then it is stored as failed)."""
    won = session.execute(
        update(SampleCheck)
        .where(SampleCheck.id == check_id,
               or_(SampleCheck.status == Status.QUEUED,
                   (SampleCheck.status == Status.RUNNING) & (SampleCheck.task_id == task_id)))
        .values(status=Status.RUNNING, task_id=task_id, attempts=SampleCheck.attempts + 1)
        .returning(SampleCheck.attempts, SampleCheck.source,
                   select(CourseExercise.name).where(CourseExercise.id == SampleCheck.exercise_id)
                   .scalar_subquery())
    ).one_or_none()
    if won is None:
        return None
    attempts, source, exercise = won
    if attempts > max_attempts:
        finish(session, check_id, error=f"The check failed {max_attempts} times; try again later")
        return None
    return source, exercise


def store(factory: Any, check_id: int, *, report: dict[str, Any] | None = None, error: str | None = None) -> str:
    with session_scope(factory) as session:
        finish(session, check_id, report=report, error=error)
    return Status.ERROR if report is None else Status.GRADED


def finish(session: Session, check_id: int, *, report: dict[str, Any] | None = None, error: str | None = None) -> None:
    """The outcome on the row: the report (made strict, as a submission's is) or why there is none."""
    values: dict[str, Any] = {"status": Status.ERROR, "passed": False, "error": error, "report": None}
    if report is not None:
        report = strict_value(report)
        values = {"status": Status.GRADED, "passed": report["passed"], "error": report["error"],
                  "report": {"samples": report["samples"], "output": report["output"]}}
    session.execute(update(SampleCheck).where(SampleCheck.id == check_id).values(finished_at=utcnow(), **values))
