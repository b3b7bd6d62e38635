"""The course's exercises: the course's exercises published as rows, and finding one a user may see.

The course is the process's (``grader.course.current_course``): the built-in demo course or the
folder GRADEGRAD_COURSE_DIR names. An exercise removed from the course keeps its row and its
submissions, but is no longer offered.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from grader.course import current_course
from grader.exercise import Catalogue, Exercise
from web.models import CourseExercise, User


def course_exercises() -> Catalogue:
    return current_course().exercises


PUBLISHED = select(CourseExercise).where(CourseExercise.name == bindparam("name"))


def publish_catalogue(session: Session) -> list[CourseExercise]:
    """Every catalogue exercise as published in the course, adding rows for new ones.

    Two requests may publish at once (the first submissions to a new course): a row the other
    one inserted first is skipped, not a unique-key error.
    """
    exercises = course_exercises()
    rows = {row.name: row for row in session.scalars(select(CourseExercise))}
    missing = [name for name in exercises if name not in rows]
    if missing:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(insert(CourseExercise).values([{"name": name} for name in missing])
                        .on_conflict_do_nothing(index_elements=["name"]))
        rows = {row.name: row for row in session.scalars(select(CourseExercise))}
    return [rows[name] for name in exercises]


def find_published(session: Session, name: str, user: User) -> CourseExercise | None:
    """The exercise called ``name`` if ``user`` may see it (one query once the catalogue is published)."""
    if name not in course_exercises():
        return None
    row = session.scalar(PUBLISHED, {"name": name})
    if row is None:
        row = next(r for r in publish_catalogue(session) if r.name == name)
    if row is None or not (row.visible or user.is_instructor):
        return None
    return row


def exercise_of(published: CourseExercise) -> Exercise:
    return course_exercises()[published.name]
