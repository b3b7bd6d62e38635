"""The instructor's numbers: best scores per student and exercise, pass rates, mistakes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from web.late import Deadlines
from web.models import FINISHED, CaseResult, CourseExercise, Submission, User


@dataclass
class Best:
    """A student's best graded attempt at one exercise (the late policy applied)."""

    score: float
    passed: bool
    submission_id: int


def students(session: Session) -> list[User]:
    return list(session.scalars(select(User).where(User.role == "student").order_by(User.username)))


def best_scores(session: Session, user: User | None = None) -> dict[tuple[int, int], Best]:
    """(user id, exercise id) -> the best graded submission, by effective score; of every student or of ``user``."""
    best: dict[tuple[int, int], Best] = {}
    deadlines = Deadlines.load(session)
    query = select(Submission).where(Submission.status.in_(FINISHED))
    if user is not None:
        query = query.where(Submission.user_id == user.id)
    for submission in session.scalars(query):
        score = deadlines.effective_score(submission) or 0.0
        key = (submission.user_id, submission.exercise_id)
        if key not in best or score > best[key].score:
            best[key] = Best(score, bool(submission.passed), submission.id)
    return best


@dataclass
class ExerciseStats:
    published: CourseExercise
    submissions: int
    students_tried: int
    students_passed: int
    scores: list[float]  # every graded submission's raw score
    times: list[datetime]  # when each submission came in
    mistakes: list[tuple[str, int]]  # named mistakes, by how many submissions made them

    @property
    def pass_rate(self) -> float | None:
        return self.students_passed / self.students_tried if self.students_tried else None


def exercise_stats(session: Session, published: CourseExercise) -> ExerciseStats:
    rows = list(session.scalars(select(Submission).where(Submission.exercise_id == published.id)))
    graded = [s for s in rows if s.status in FINISHED]
    mistakes = session.execute(
        select(CaseResult.mistake, func.count(func.distinct(CaseResult.submission_id)))
        .join(Submission).where(Submission.exercise_id == published.id, CaseResult.mistake.is_not(None))
        .group_by(CaseResult.mistake).order_by(func.count(func.distinct(CaseResult.submission_id)).desc())
    ).all()
    return ExerciseStats(
        published, len(rows), len({s.user_id for s in graded}), len({s.user_id for s in graded if s.passed}),
        [s.score or 0.0 for s in graded], [s.created_at for s in rows],
        [(name, n) for name, n in mistakes if name is not None],
    )


@dataclass
class ExerciseRecord:
    """One student's work on one exercise: how many attempts, the best, the latest."""

    published: CourseExercise
    attempts: int
    latest: datetime | None
    best: Best | None


def student_record(session: Session, user: User, exercises: list[CourseExercise]) -> list[ExerciseRecord]:
    """Each of ``exercises`` with ``user``'s attempts at it, in two queries whatever their number."""
    counts = {exercise_id: (attempts, latest) for exercise_id, attempts, latest in session.execute(
        select(Submission.exercise_id, func.count(), func.max(Submission.created_at))
        .where(Submission.user_id == user.id).group_by(Submission.exercise_id))}
    best = best_scores(session, user)
    records = []
    for exercise in exercises:
        attempts, latest = counts.get(exercise.id, (0, None))
        records.append(ExerciseRecord(exercise, attempts, latest, best.get((user.id, exercise.id))))
    return records
