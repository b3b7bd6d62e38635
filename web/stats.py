"""The instructor's numbers: best scores per student and exercise, pass rates, mistakes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

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


def best_scores(session: Session) -> dict[tuple[int, int], Best]:
    """(user id, exercise id) -> the best graded submission, by effective score."""
    best: dict[tuple[int, int], Best] = {}
    deadlines = Deadlines.load(session)
    for submission in session.scalars(select(Submission).where(Submission.status.in_(FINISHED))):
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


def unnamed_failures(session: Session, published: CourseExercise, limit: int = 5) -> list[tuple[str, int]]:
    """The most frequent failing verdicts that matched no named mistake (kinds such as 'shape')."""
    counts = Counter(session.scalars(
        select(CaseResult.kind).join(Submission)
        .where(Submission.exercise_id == published.id, CaseResult.passed.is_(False), CaseResult.mistake.is_(None))))
    return counts.most_common(limit)


def recent_submissions(session: Session, published: CourseExercise | None = None, limit: int = 25) -> list[Submission]:
    """The newest submissions, of one exercise or of all, with what their table shows loaded in three queries."""
    query = (select(Submission).order_by(Submission.id.desc()).limit(limit)
             .options(selectinload(Submission.user), selectinload(Submission.exercise), selectinload(Submission.cases)))
    if published is not None:
        query = query.where(Submission.exercise_id == published.id)
    return list(session.scalars(query))
