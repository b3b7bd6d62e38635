"""Where a student stands: per assignment, the points earned of those possible; per exercise, attempts, the best
score, whether it passed, and when it is due for them (an extension included)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from grader.assignments import Assignment
from grader.course import current_course
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
    due: datetime | None  # for this student: the assignment's or exercise's due date, or their extension
    extended: bool
    points: float | None = None  # what the exercise is worth in its assignment; None for practice

    @property
    def status(self) -> str:
        if self.passed:
            return "passed"
        if self.pending:
            return "grading"
        return "attempted" if self.attempts else "not started"

    @property
    def earned(self) -> float | None:
        return None if self.best is None or self.points is None else self.best * self.points


@dataclass
class AssignmentGroup:
    """An assignment's exercises as a student sees them; ``assignment`` None holds the practice exercises."""

    assignment: Assignment | None
    rows: list[ExerciseRow]

    @property
    def earned(self) -> float | None:
        """The points earned, None while no exercise of it was attempted (not the same as 0)."""
        earned = [row.earned for row in self.rows if row.earned is not None]
        return sum(earned) if earned else None

    @property
    def due(self) -> datetime | None:
        """The due date its exercises share for this student, if they share one."""
        dues = {row.due for row in self.rows}
        return dues.pop() if len(dues) == 1 else None


def exercise_rows(session: Session, user: User) -> list[ExerciseRow]:
    """The exercises ``user`` can see, each with their own progress on it."""
    mine = list(session.scalars(select(Submission).where(Submission.user_id == user.id)))
    deadlines, rows = Deadlines.load(session, user.id), []
    for published in publish_catalogue(session):
        if not (published.visible or user.is_instructor):
            continue
        attempts = [s for s in mine if s.exercise_id == published.id]
        scores = [score for s in attempts if (score := deadlines.effective_score(s)) is not None]
        policy = deadlines.policy(user.id, published)
        assignment = current_course().assignment_of(published.name)
        rows.append(ExerciseRow(published, exercise_of(published), len(attempts), max(scores, default=None),
                                any(s.passed for s in attempts), sum(s.status in IN_FLIGHT for s in attempts),
                                policy.due, policy.extended,
                                assignment.points[published.name] if assignment else None))
    return rows


def assignment_groups(session: Session, user: User) -> list[AssignmentGroup]:
    """The exercises ``user`` can see grouped by assignment, in course.toml's order; practice last."""
    rows = {row.published.name: row for row in exercise_rows(session, user)}
    groups = [AssignmentGroup(a, [rows[name] for name in a.points if name in rows])
              for a in current_course().assignments]
    groups = [group for group in groups if group.rows]
    practice = [row for row in rows.values() if row.points is None]
    return groups + [AssignmentGroup(None, practice)] if practice else groups
