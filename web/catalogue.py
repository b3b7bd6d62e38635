"""The course's exercises: the catalogue's exercises published as rows, and finding one a user may see."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from exercises import EXERCISES, Exercise
from web.models import CourseExercise, User

PUBLISHED = select(CourseExercise).where(CourseExercise.name == bindparam("name"))


def publish_catalogue(session: Session) -> list[CourseExercise]:
    """Every catalogue exercise as published in the course, adding rows for new ones.

    Two requests may publish at once (the first submissions to a new course): a row the other
    one inserted first is skipped, not a unique-key error.
    """
    rows = {row.name: row for row in session.scalars(select(CourseExercise))}
    missing = [name for name in EXERCISES if name not in rows]
    if missing:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        session.execute(insert(CourseExercise).values([{"name": name} for name in missing])
                        .on_conflict_do_nothing(index_elements=["name"]))
        rows = {row.name: row for row in session.scalars(select(CourseExercise))}
    return [rows[name] for name in EXERCISES]


def find_published(session: Session, name: str, user: User) -> CourseExercise | None:
    """The exercise called ``name`` if ``user`` may see it (one query once the catalogue is published)."""
    row = session.scalar(PUBLISHED, {"name": name})
    if row is None and name in EXERCISES:
        row = next(r for r in publish_catalogue(session) if r.name == name)
    if row is None or not (row.visible or user.is_instructor):
        return None
    return row


def exercise_of(published: CourseExercise) -> Exercise:
    return EXERCISES[published.name]
