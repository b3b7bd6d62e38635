"""The Celery task that grades one submission by id (the sweep that re-queues lost ones is worker/sweep.py)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery.signals import task_failure, worker_process_init
from flask import current_app
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import InterfaceError, OperationalError

from grader.course import ExerciseFailed, current_course
from grader.exercise import UnknownExercise
from grader.pipeline import grade
from grader.sandbox import SandboxUnavailable, default_runner
from web.db import session_factory, session_scope
from web.models import Status
from web.queue import GRADE_TASK
from worker import heartbeat
from worker.grading import claim, fail_if_held, record_failure, record_report

# Only infrastructure is retried: a database or broker that is down. A student's failure is a result.
DATABASE_ERRORS = (OperationalError, InterfaceError)
INFRASTRUCTURE_ERRORS = (*DATABASE_ERRORS, BrokerError, RedisConnectionError, ConnectionError)
TOO_LONG = "Grading took too long and was stopped; try again later"
EXERCISE_FAILED = ("This exercise could not be graded: its own code failed, not yours. This cost no attempt; "
                   "your instructor can find the cause with `gradegrad check-exercises` and regrade it")
DATABASE_PATIENCE_SECONDS = 30.0
"""How long a grading process waits for the database itself, trying again every DATABASE_RETRY_SECONDS, before it
leaves the task to Celery's retries: a grading finished during an outage of seconds is stored, once, as soon as
the database is back, instead of being thrown away and graded again."""
DATABASE_RETRY_SECONDS = 0.5
log = logging.getLogger(__name__)
T = TypeVar("T")


@worker_process_init.connect
def prepare_process(**_: object) -> None:
    """In each new pool process: drop database connections inherited from the parent, start the sandbox."""
    from worker.celery_app import flask_app

    flask_app.extensions["db_engine"].dispose(close=False)
    start = getattr(default_runner(), "start", None)  # a runner with a server starts it now, not on a student's time
    try:
        if start is not None:
            start()
    except SandboxUnavailable as exc:  # the task reports it on each submission; the process must still start
        log.error("the sandbox cannot start: %s", exc)


@shared_task(bind=True, autoretry_for=INFRASTRUCTURE_ERRORS, retry_backoff=1, retry_backoff_max=30,
             max_retries=8, acks_late=True)
def grade_submission(self, submission_id: int) -> str:
    """Grade the row ``submission_id`` once: a redelivered or duplicate task finds it taken or done.

    One pooled connection serves the whole task, with Core statements in two short transactions
    (claim, then result): at a hundred gradings a second the ORM's per-session work and a second
    checkout were a fifth of the grading process's CPU.
    """
    worker = heartbeat.RUN
    with connect_patiently(current_app.extensions["db_engine"]) as connection:
        claimed = in_transaction(connection, lambda: claim(connection, submission_id, self.request.id,
                                                           current_app.config["MAX_GRADING_ATTEMPTS"], worker))
        if claimed is None:
            return f"skipped #{submission_id}"
        try:
            report = grade(claimed.source, current_course().exercises.get_exercise(claimed.exercise), claimed.seed,
                           case_key=str(current_app.config["CASE_KEY"]).encode()).to_dict()
        except UnknownExercise:
            return store_failure(connection, submission_id, unknown_exercise(claimed.exercise), charged=False)
        except ExerciseFailed as exc:
            log.error("submission %s: %s", submission_id, exc)
            return store_failure(connection, submission_id, EXERCISE_FAILED, charged=False)
        except SoftTimeLimitExceeded:
            return store_failure(connection, submission_id, TOO_LONG, charged=False)
        except SandboxUnavailable:
            # A worker that cannot isolate code must say so where people look, not spin forever; an
            # instructor regrades once an administrator has fixed the host (see `gradegrad sandbox-check`).
            store_failure(connection, submission_id, "The grading server cannot isolate code right now; "
                                                     "your instructor can regrade this once it is fixed", charged=False)
            raise
        except Exception as exc:
            # Anything else broke on what this submission sent back: it costs the attempt, or a student
            # who found such a crash could submit without limit.
            store_failure(connection, submission_id, f"The grader failed on this submission ({type(exc).__name__}); "
                                                     "it counts as an attempt; your instructor can regrade it",
                          charged=True)
            raise
        in_transaction(connection, lambda: record_report(connection, submission_id, report))
    return f"{Status.GRADED} #{submission_id}"


def connect_patiently(engine: Engine) -> Connection:
    """A connection of ``engine``, waiting up to DATABASE_PATIENCE_SECONDS for the database to answer."""
    return patiently(engine.connect)


def in_transaction(connection: Connection, work: Callable[[], T]) -> T:
    """``work()`` in a transaction of ``connection``, begun again until the database answers (up to
    DATABASE_PATIENCE_SECONDS). A connection the database dropped reconnects on the next begin()."""
    def attempt() -> T:
        with connection.begin():
            return work()

    return patiently(attempt)


def patiently(step: Callable[[], T]) -> T:
    deadline = time.monotonic() + DATABASE_PATIENCE_SECONDS
    while True:
        try:
            return step()
        except DATABASE_ERRORS as exc:
            if time.monotonic() >= deadline:
                raise
            log.warning("the database is unreachable (%s); trying again", type(exc).__name__)
            time.sleep(DATABASE_RETRY_SECONDS)


@task_failure.connect
def stopped_at_hard_limit(sender: Task | None = None, task_id: str = "", exception: BaseException | None = None,
                          args: tuple[Any, ...] = (), **_: object) -> None:
    """In the worker's main process, once a grading outlived the soft limit too and its process was killed.

    Without this the row would stay running until the sweep took it for lost, graded it again into the
    same limit, and after MAX_GRADING_ATTEMPTS told the student only that grading failed.
    """
    if getattr(sender, "name", None) != GRADE_TASK or not isinstance(exception, TimeLimitExceeded):
        return
    from worker.celery_app import flask_app

    with flask_app.app_context(), session_scope(session_factory(flask_app)) as session:
        fail_if_held(session, int(args[0]), task_id, TOO_LONG, charged=False)


def unknown_exercise(name: str) -> str:
    """What the student reads when the web accepted an exercise this worker's course lacks."""
    return (f"The grading server has no exercise '{name}': it runs another version of the course. "
            "This cost no attempt; your instructor can regrade it once the servers agree")


def store_failure(connection: Connection, submission_id: int, message: str, *, charged: bool) -> str:
    in_transaction(connection, lambda: record_failure(connection, submission_id, message, charged=charged))
    return f"{Status.ERROR} #{submission_id}"
