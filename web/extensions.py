"""Per-student extensions: a new due date for one student on one assignment (dashboard or `gradegrad extend`)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grader.course import current_course
from web.models import Extension, User


def parse_until(text: str) -> datetime:
    """An ISO date and time as naive UTC (the stored form); one without a time zone is taken as UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a date and time such as 2026-12-12T23:59Z") from None
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def grant_extension(session: Session, username: str, assignment: str, until: datetime,
                    granted_by: User | None = None) -> Extension:
    """Give ``username`` until ``until`` (naive UTC) on ``assignment``, replacing an earlier extension of theirs.

    Raises ValueError naming what is wrong: an unknown user or assignment, or a user who is not a student.
    """
    names = [a.name for a in current_course().assignments]
    if assignment not in names:
        raise ValueError(f"no assignment '{assignment}' in this course (assignments: {', '.join(names)})")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise ValueError(f"no user '{username}'")
    if user.is_instructor:
        raise ValueError(f"'{username}' is an instructor; extensions are for students")
    extension = session.scalar(select(Extension).where(Extension.user_id == user.id,
                                                       Extension.assignment == assignment))
    if extension is None:
        extension = Extension(user_id=user.id, assignment=assignment)
        session.add(extension)
    extension.due_at, extension.granted_by_id = until, granted_by.id if granted_by else None
    session.flush()
    return extension


def extensions(session: Session) -> list[Extension]:
    """Every extension, by assignment and student, for the dashboard."""
    return list(session.scalars(select(Extension).join(Extension.user)
                                .order_by(Extension.assignment, User.username)))
