"""Whether a student may submit now: the exercise open, attempts and the hourly limit left, few in flight."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from web.late import Deadlines
from web.models import IN_FLIGHT, CourseExercise, SampleCheck, Submission, User, table_of, utcnow
from web.queue import LIVE

HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


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


# The queries of every submission's checks, built once: building one costs more CPU than running it.
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
# A student's checks against the public samples in the last minute, over every exercise.
RECENT_CHECKS = select(SampleCheck.created_at).where(SampleCheck.user_id == bindparam("student"),
                                                     SampleCheck.created_at > bindparam("since")) \
    .order_by(SampleCheck.created_at.desc())


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
    policy = Deadlines.load(session, user.id).policy(user.id, published)
    if policy.due and now > policy.due and policy.penalty_per_day is None:
        raise Refused(403, f"{published.name} was due at {policy.due:%Y-%m-%d %H:%M} UTC; "
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


def check_rate(session: Session, user: User, now: datetime | None = None) -> None:
    """Raise Refused (429, with Retry-After) once ``user`` ran CHECKS_PER_MINUTE checks in the last minute.

    Checks cost no attempt, so this limit is what keeps them from taking the workers from gradings.
    The student's row is locked first, as check_open does, so two checks at once cannot both take
    the last place. Instructors are not limited.
    """
    if user.is_instructor:
        return
    now = now or utcnow()
    most = int(current_app.config["CHECKS_PER_MINUTE"])
    session.execute(LOCK_STUDENT, {"student": user.id})
    recent = list(session.scalars(RECENT_CHECKS, {"student": user.id, "since": now - MINUTE}))
    if len(recent) >= most:
        next_at = recent[most - 1] + MINUTE
        wait = max(1, math.ceil((next_at - now).total_seconds()))
        raise Refused(429, f"Rate limit: {most} checks against the public samples a minute; your next check is "
                           f"allowed at {next_at:%H:%M:%S} UTC (in {wait} s)", retry_after=wait)
