"""Where a student stands: per exercise, attempts, the best score and whether it passed."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from grader.exercise import Exercise
from web.catalogue import exercise_of, publish_catalogue
from web.late import Deadlines
from web.models import IN_FLIGHT, CourseExercise, Submission, User


@dataclass
class ExerciseRow:
    published: CourseExercise
    exercise: Exercise
    attempts: int
    best: float | None  # the best score with the late policy applied
    passed: bool
    pending: int

    @property
    def status(self) -> str:
        if self.passed:
            return "passed"
        if self.pending:
            return "grading"
        return "attempted" if self.attempts else "not started"


def exercise_rows(session: Session, user: User) -> list[ExerciseRow]:
    """The exercises ``user`` can see, each with their own progress on it."""
    mine = list(session.scalars(select(Submission).where(Submission.user_id == user.id)))
    deadlines, rows = Deadlines.load(session, user.id), []
    for published in publish_catalogue(session):
        if not (published.visible or user.is_instructor):
            continue
        attempts = [s for s in mine if s.exercise_id == published.id]
        scores = [score for s in attempts if (score := deadlines.effective_score(s)) is not None]
        rows.append(ExerciseRow(published, exercise_of(published), len(attempts), max(scores, default=None),
                                any(s.passed for s in attempts),
                                sum(s.status in IN_FLIGHT for s in attempts)))
    return rows
