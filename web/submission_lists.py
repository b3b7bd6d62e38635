"""The instructor's lists of submissions: filtered by exercise, student and status, newest first, a page at a time."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from web.models import CourseExercise, Status, Submission, User
from web.paging import Page, paginate

STATUSES = tuple(Status)


@dataclass(frozen=True)
class SubmissionFilter:
    """What a list shows: None for any exercise, any student, any status."""

    exercise: CourseExercise | None = None
    student: User | None = None
    status: str | None = None


def read_filter(session: Session, args: Mapping[str, str], exercise: CourseExercise | None = None,
                student: User | None = None) -> SubmissionFilter:
    """The filter of a request's ``exercise``, ``student`` and ``status`` arguments (empty: any); a list that
    belongs to one exercise or one student passes it and ignores the argument. 400 names an unknown value."""
    if exercise is None and (name := args.get("exercise", "")):
        exercise = session.scalar(select(CourseExercise).where(CourseExercise.name == name))
        if exercise is None:
            abort(400, f"There is no exercise '{name[:80]}'.")
    if student is None and (username := args.get("student", "")):
        student = session.scalar(select(User).where(User.username == username))
        if student is None:
            abort(400, f"There is no user '{username[:80]}'.")
    status = args.get("status", "") or None
    if status is not None and status not in STATUSES:
        abort(400, f"The status must be one of {', '.join(STATUSES)}, not '{status[:40]}'.")
    return SubmissionFilter(exercise, student, status)


def submissions_page(session: Session, shown: SubmissionFilter, number: int) -> Page[Submission]:
    """Page ``number`` of the submissions ``shown`` selects, newest first, with what their table shows (student,
    exercise, cases) loaded in a fixed number of queries however long the page."""
    query = (select(Submission).order_by(Submission.id.desc())
             .options(selectinload(Submission.user), selectinload(Submission.exercise), selectinload(Submission.cases)))
    if shown.exercise is not None:
        query = query.where(Submission.exercise_id == shown.exercise.id)
    if shown.student is not None:
        query = query.where(Submission.user_id == shown.student.id)
    if shown.status is not None:
        query = query.where(Submission.status == shown.status)
    return paginate(session, query, number)
