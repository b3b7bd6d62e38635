"""The late policy: when a student's work on an exercise is due, how many days late a submission came, and its
score after the penalty.

The due date and penalty are the assignment's when course.toml gives them (grader/assignments.py), else the
exercise's own settings; a student's extension on the assignment (web/extensions.py) replaces the due date for
that student. Every page, the API and the gradebook ask here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from grader.course import current_course
from web.models import CourseExercise, Extension, Submission


@dataclass(frozen=True)
class Policy:
    """due: naive UTC, or None for no deadline; penalty_per_day: None refuses late submissions."""

    due: datetime | None
    penalty_per_day: float | None
    extended: bool = False


class Deadlines:
    """The late policy of each (student, exercise), with the extensions read once (a gradebook asks thousands)."""

    def __init__(self, extensions: dict[tuple[int, str], datetime]) -> None:
        self.extensions = extensions
        self.course = current_course()

    @classmethod
    def load(cls, session: Session, user_id: int | None = None) -> Deadlines:
        """The extensions of every student, or of ``user_id`` alone."""
        query = select(Extension)
        if user_id is not None:
            query = query.where(Extension.user_id == user_id)
        return cls({(e.user_id, e.assignment): e.due_at for e in session.scalars(query)})

    def policy(self, user_id: int, published: CourseExercise) -> Policy:
        assignment = self.course.assignment_of(published.name)
        if assignment is None:
            return Policy(published.due_at, published.late_penalty_per_day)
        due = assignment.due or published.due_at
        penalty = published.late_penalty_per_day if assignment.late_penalty_per_day is None \
            else assignment.late_penalty_per_day
        extension = self.extensions.get((user_id, assignment.name))
        return Policy(extension or due, penalty, extension is not None)

    def days_late(self, submission: Submission) -> int:
        due = self.policy(submission.user_id, submission.exercise).due
        if due is None or submission.created_at <= due:
            return 0
        return math.ceil((submission.created_at - due) / timedelta(days=1))

    def effective_score(self, submission: Submission) -> float | None:
        """The score with the late policy applied."""
        if submission.score is None:
            return None
        penalty = (self.policy(submission.user_id, submission.exercise).penalty_per_day or 0.0)
        return submission.score * max(0.0, 1.0 - penalty * self.days_late(submission))


def deadlines_of(submission: Submission) -> Deadlines:
    session = object_session(submission)
    assert session is not None, "a submission read from the database"
    return Deadlines.load(session, submission.user_id)


def days_late(submission: Submission) -> int:
    return deadlines_of(submission).days_late(submission)


def effective_score(submission: Submission) -> float | None:
    """The score with the late policy applied (one submission; for many, use Deadlines)."""
    return deadlines_of(submission).effective_score(submission)
