"""What an exercise's page offers a student beyond the statement: the hints their failed attempts unlocked,
and the worked solution once their due date (an extension included) has passed. Instructors see both always.

A failed attempt is a graded submission that did not pass: one the grader could not finish (status error)
is the host's failure, not the student's, and unlocks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grader.exercise import Exercise
from web.models import CourseExercise, Status, Submission, User, utcnow


@dataclass(frozen=True)
class Unlocked:
    """hints: those unlocked so far of the exercise's ``total``, gentlest first; next_after: the failed attempts
    still needed for the next hint (None when every hint is unlocked or hints never unlock); solution: None until
    it may be shown."""

    hints: tuple[str, ...]
    total: int
    failed_attempts: int
    next_after: int | None
    solution: str | None

    @property
    def progress(self) -> str:
        """Where the student stands on the hints, in the page's words."""
        if len(self.hints) == self.total:
            return "Every hint is unlocked."
        if self.next_after is None:
            return "Hints are not offered on this exercise."
        attempts = "1 more failed attempt unlocks" if self.next_after == 1 \
            else f"{self.next_after} more failed attempts unlock"
        return f"{attempts} the {'next' if self.hints else 'first'} hint."


def failed_attempts(session: Session, user: User, published: CourseExercise) -> int:
    return session.scalar(select(func.count()).select_from(Submission).where(
        Submission.user_id == user.id, Submission.exercise_id == published.id,
        Submission.status == Status.GRADED, Submission.passed.is_(False))) or 0


def unlocked(session: Session, user: User, published: CourseExercise, exercise: Exercise, due: datetime | None
             ) -> Unlocked:
    """What ``user`` may see now of ``exercise``'s hints and solution; ``due``: their due date (their Policy's,
    which the caller shows too)."""
    failed = failed_attempts(session, user, published)
    every, total = published.hint_every, len(exercise.hints)
    if user.is_instructor:
        count, next_after = total, None
    elif every <= 0:
        count, next_after = 0, None
    else:
        count = min(total, failed // every)
        next_after = every * (count + 1) - failed if count < total else None
    shown = user.is_instructor or (due is not None and utcnow() >= due)
    return Unlocked(exercise.hints[:count], total, failed, next_after, exercise.solution if shown else None)
