"""Taking submissions: the file read, the course's checks, the queued row, then the grading task."""

from __future__ import annotations

import logging
import math
import secrets

from flask import current_app
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from gradegrad_client.strict_json import strict_value
from grader.definitions import Program
from grader.submission import SubmissionError, read_submission
from web.limits import Refused, check_open
from web.models import CourseExercise, Status, Submission, User
from web.paging import PAGE_SIZE, Page, paginate
from web.queue import LIVE, new_task_id, send_grading

log = logging.getLogger(__name__)
MAX_ID = 2**31 - 1  # an Integer primary key on PostgreSQL


def create_submission(session: Session, user: User, published: CourseExercise, filename: str,
                      data: bytes) -> Submission:
    """A queued submission of ``data`` (a .py file or a notebook), after the course's checks.

    The file is read before check_open locks the student's row (the whole database on SQLite):
    reading a notebook may take a second, and no other student's submission waits for it.
    """
    program = read_program(published, filename, data)
    check_open(session, user, published)
    # The name is the student's: a NUL in it, which PostgreSQL refuses, is stored as U+FFFD; so is one a notebook's
    # JSON escapes into a cell, which is skipped and shown commented out, and quoted in a note.
    submission = Submission(user_id=user.id, exercise_id=published.id, filename=strict_value(filename)[:255],
                            source=strict_value(program.source), notes=strict_value(program.notes),
                            seed=secrets.randbelow(2**31),
                            status=Status.QUEUED, queue=LIVE, task_id=new_task_id())
    session.add(submission)
    session.flush()
    return submission


def read_program(published: CourseExercise, filename: str, data: bytes) -> Program:
    """The program to grade in ``data`` (a .py file or a notebook) and the notes on what of it is skipped,
    or Refused saying why there is none."""
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    if len(data) > limit:
        raise Refused(413, f"The file is too large: {math.ceil(len(data) / 1024)} KiB, and files up to "
                           f"{limit // 1024} KiB are accepted")
    try:
        return read_submission(filename, data, published.name)
    except SubmissionError as exc:
        raise Refused(400, f"Cannot grade {filename}: {exc}") from None


def submit(session: Session, user: User, published: CourseExercise, filename: str, data: bytes) -> Submission:
    """Commit the row, with the id its task will have, then send the task (row first, then the id)."""
    submission = create_submission(session, user, published, filename, data)
    session.commit()
    enqueue(session, submission, LIVE)
    return submission


def enqueue(session: Session, submission: Submission, queue: str) -> None:
    """Send the grading task of a committed, queued row, under the task id stored on it.

    With the broker down the row simply stays queued, its task id cleared since no such task
    exists: the periodic sweep sends it once the broker is back, so the student's submission is
    accepted, not lost.
    """
    try:
        send_grading(current_app.extensions["celery"], submission.id, queue, submission.task_id)
    except BrokerError as exc:
        log.warning("broker unreachable, submission %s waits for the sweep: %s", submission.id, exc)
        submission.task_id = None
        session.commit()


def visible_submission(session: Session, user: User, submission_id: int) -> Submission | None:
    """The submission if ``user`` may see it: their own, or any for an instructor."""
    if not 0 < submission_id <= MAX_ID:
        return None  # the databases refuse a larger key outright; no row can have one
    submission = session.get(Submission, submission_id, options=[joinedload(Submission.exercise)])
    if submission is None or not (user.is_instructor or submission.user_id == user.id):
        return None
    return submission


def history(session: Session, user: User, number: int, size: int = PAGE_SIZE) -> Page[Submission]:
    """Page ``number`` of ``user``'s own submissions, newest first, with their exercises."""
    return paginate(session, select(Submission).where(Submission.user_id == user.id)
                    .order_by(Submission.id.desc()).options(selectinload(Submission.exercise)), number, size)
