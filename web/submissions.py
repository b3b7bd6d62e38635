"""Publishing exercises and taking submissions: checks, the queued row, then the grading task."""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from kombu.exceptions import OperationalError as BrokerError
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session, joinedload

from exercises import EXERCISES, Exercise
from gradegrad_client.strict_json import strict_value
from grader.submission import SubmissionError, read_submission
from web.models import FINISHED, IN_FLIGHT, CaseResult, CourseExercise, Status, Submission, User, table_of, utcnow
from web.queue import LIVE, new_task_id, send_grading

log = logging.getLogger(__name__)
HOUR = timedelta(hours=1)
MAX_ID = 2**31 - 1  # an Integer primary key on PostgreSQL


class Refused(Exception):
    """A submission the course does not accept now; ``status`` is the HTTP status to answer.

    retry_after: the seconds until a submission will be accepted, when that time is known.
    """

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.retry_after = status, message, retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}


@dataclass
class Quota:
    """What a student may still submit: None where there is no limit.

    next_at: once this hour's submissions are spent, when the next one is allowed.
    """

    attempts_left: int | None
    this_hour_left: int | None
    next_at: datetime | None = None


def publish_catalogue(session: Session) -> list[CourseExercise]:
    """Every catalogue exercise as published in the course, adding rows for new ones."""
    rows = {row.name: row for row in session.scalars(select(CourseExercise))}
    for name in EXERCISES.keys() - rows.keys():
        rows[name] = CourseExercise(name=name)
        session.add(rows[name])
    session.flush()
    return [rows[name] for name in EXERCISES]


# The queries of every submission, built once: building one costs more CPU than running it.
PUBLISHED = select(CourseExercise).where(CourseExercise.name == bindparam("name"))
_users = table_of(User)
LOCK_STUDENT = update(_users).where(_users.c.id == bindparam("student")).values(role=_users.c.role)
COUNTED = (Submission.user_id == bindparam("student"), Submission.exercise_id == bindparam("exercise"),
           Submission.charged.is_(True))
ATTEMPTS_USED = select(func.count()).select_from(Submission).where(*COUNTED)
RECENT = select(Submission.created_at).where(*COUNTED, Submission.created_at > bindparam("since")) \
    .order_by(Submission.created_at.desc())
# A student's submissions waiting for or in grading, over every exercise; regrades are the instructor's.
IN_FLIGHT_COUNT = select(func.count()).select_from(Submission).where(
    Submission.user_id == bindparam("student"), Submission.status.in_(IN_FLIGHT), Submission.queue == LIVE)
IN_FLIGHT_RETRY_SECONDS = 10


def find_published(session: Session, name: str, user: User) -> CourseExercise | None:
    """The exercise called ``name`` if ``user`` may see it (one query once the catalogue is published)."""
    row = session.scalar(PUBLISHED, {"name": name})
    if row is None and name in EXERCISES:
        row = next(r for r in publish_catalogue(session) if r.name == name)
    if row is None or not (row.visible or user.is_instructor):
        return None
    return row


def quota(session: Session, user: User, published: CourseExercise, now: datetime | None = None) -> Quota:
    """What ``user`` may still submit to ``published``; only a fault of the host (not charged) costs nothing."""
    now = now or utcnow()
    whose = {"student": user.id, "exercise": published.id}
    left = Quota(None, None)
    if published.max_attempts is not None:
        used = session.scalar(ATTEMPTS_USED, whose) or 0
        left.attempts_left = max(0, published.max_attempts - used)
    if published.per_hour is not None:
        recent = list(session.scalars(RECENT, {**whose, "since": now - HOUR}))
        left.this_hour_left = max(0, published.per_hour - len(recent))
        if left.this_hour_left == 0:
            # The hour's window frees a place when the per_hour-th newest submission turns an hour old.
            left.next_at = recent[published.per_hour - 1] + HOUR
    return left


def check_open(session: Session, user: User, published: CourseExercise, now: datetime | None = None) -> None:
    """Raise Refused unless ``user`` may submit to ``published`` now; instructors always may."""
    if user.is_instructor:
        return
    now = now or utcnow()
    if published.opens_at and now < published.opens_at:
        raise Refused(403, f"{published.name} opens at {published.opens_at:%Y-%m-%d %H:%M} UTC")
    if published.due_at and now > published.due_at and published.late_penalty_per_day is None:
        raise Refused(403, f"{published.name} was due at {published.due_at:%Y-%m-%d %H:%M} UTC; "
                           "late submissions are not accepted")
    # A write that changes nothing locks the student's row (PostgreSQL) or the database (SQLite) until commit,
    # so two requests at once cannot both count the last free place; a SELECT would lock nothing on SQLite.
    session.execute(LOCK_STUDENT, {"student": user.id})
    in_flight, most = session.scalar(IN_FLIGHT_COUNT, {"student": user.id}), current_app.config["MAX_IN_FLIGHT"]
    if in_flight >= most:
        raise Refused(429, f"A previous submission is still being graded: {most} of your submissions may wait "
                           "for or be in grading at once; submit again once one has finished",
                      retry_after=IN_FLIGHT_RETRY_SECONDS)
    left = quota(session, user, published, now)
    if left.attempts_left == 0:
        raise Refused(429, f"No attempts left: {published.name} allows {published.max_attempts} "
                           "(submissions the grading server failed on for its own reasons are not counted); "
                           "no further submission is accepted")
    if left.next_at is not None:
        wait = max(1, math.ceil((left.next_at - now).total_seconds()))
        raise Refused(429, f"Rate limit: {published.name} takes {published.per_hour} submissions an hour; "
                           f"your next submission is allowed at {left.next_at:%Y-%m-%d %H:%M:%S} UTC "
                           f"(in {math.ceil(wait / 60)} min)", retry_after=wait)


def create_submission(session: Session, user: User, published: CourseExercise, filename: str,
                      data: bytes) -> Submission:
    """A queued submission of ``data`` (a .py file or a notebook), after the course's checks.

    The file is read before check_open locks the student's row (the whole database on SQLite):
    reading a notebook may take a second, and no other student's submission waits for it.
    """
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    if len(data) > limit:
        raise Refused(413, f"The file is too large: {math.ceil(len(data) / 1024)} KiB, and files up to "
                           f"{limit // 1024} KiB are accepted")
    try:
        source = read_submission(filename, data, published.name)
    except SubmissionError as exc:
        raise Refused(400, f"Cannot grade {filename}: {exc}") from None
    check_open(session, user, published)
    # The name is the student's: a NUL in it, which PostgreSQL refuses, is stored as U+FFFD.
    submission = Submission(user_id=user.id, exercise_id=published.id, filename=strict_value(filename)[:255],
                            source=source, seed=secrets.randbelow(2**31), status=Status.QUEUED, queue=LIVE,
                            task_id=new_task_id())
    session.add(submission)
    session.flush()
    return submission


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


def history(session: Session, user: User, limit: int = 200) -> list[Submission]:
    return list(session.scalars(select(Submission).where(Submission.user_id == user.id)
                                .order_by(Submission.id.desc()).limit(limit)))


def days_late(submission: Submission) -> int:
    due = submission.exercise.due_at
    if due is None or submission.created_at <= due:
        return 0
    return math.ceil((submission.created_at - due) / timedelta(days=1))


def effective_score(submission: Submission) -> float | None:
    """The score with the late policy applied."""
    if submission.score is None:
        return None
    penalty = (submission.exercise.late_penalty_per_day or 0.0) * days_late(submission)
    return submission.score * max(0.0, 1.0 - penalty)


def result_dict(submission: Submission, viewer: User) -> dict[str, Any]:
    """The API's view of a submission: the grade --json fields once graded, plus id and status.

    What a student may see of the hidden cases is decided here, for every page and route:
    the output printed in the graded run (``hidden_output``) goes to instructors only, and so
    does the rest of the text the code wrote in that run (exception messages, tracebacks, the
    load error): a student sees the report's ``public`` error, samples and case messages
    instead, when it has them. Without them every sample passed, and a student sees each
    sample's expected answer as what the code answered: the digits of an answer below the
    tolerance are the code's to choose, and may carry hidden inputs. With the exercise's
    hidden verdicts off a student sees neither the verdict of each hidden case nor the hints
    those verdicts gave (a public sample's hint stays).
    """
    data: dict[str, Any] = {
        "id": submission.id, "exercise": submission.exercise.name, "status": submission.status,
        "filename": submission.filename, "seed": submission.seed,
        "created_at": submission.created_at.isoformat() + "Z", "days_late": days_late(submission),
    }
    if submission.status not in FINISHED:
        return data
    report = submission.report or {}
    public = None if viewer.is_instructor else report.get("public")
    samples = (public or report).get("samples") or []
    if not (public or viewer.is_instructor):  # the graded run's samples, all passed: each shows what it matched
        samples = [{**sample, "got": sample["expected"]} if sample.get("passed") else sample for sample in samples]
    error = public["error"] if public else submission.error
    verdicts_shown = submission.exercise.show_hidden_results or viewer.is_instructor
    if verdicts_shown:
        hints = report.get("hints") or []
    else:
        hints = list(dict.fromkeys(sample["hint"] for sample in samples if sample.get("hint")))
    shown = {case["name"]: case for case in public["cases"]} if public else {}
    data.update(score=submission.score, passed=bool(submission.passed), error=error,
                effective_score=effective_score(submission), hints=hints, samples=samples,
                output=report.get("output") or "",
                cases=[case_dict(case, verdicts_shown, shown.get(case.name)) for case in submission.cases])
    if viewer.is_instructor:
        data["hidden_output"] = report.get("hidden_output") or ""
    return data


def case_dict(case: CaseResult, verdict_shown: bool, public: dict[str, Any] | None = None) -> dict[str, Any]:
    """One hidden case; with its verdict hidden, only its name (``passed`` null, ``kind`` "hidden").

    ``public`` is the report's student view of the case, whose message and traceback replace the row's.
    """
    if verdict_shown:
        text = public or {"message": case.message, "traceback": case.traceback}
        return {"name": case.name, "passed": case.passed, "message": text["message"], "kind": case.kind,
                "hint": case.hint, "traceback": text["traceback"]}
    return {"name": case.name, "passed": None, "message": "Hidden by the instructor",
            "kind": "hidden", "hint": None, "traceback": None}


def exercise_of(published: CourseExercise) -> Exercise:
    return EXERCISES[published.name]
