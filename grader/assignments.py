"""Assignments: a course's exercises grouped and weighted in points, read from course.toml's ``[[assignments]]``.

Each assignment names its exercises with the points each is worth; a student earns an exercise's points times
their best score (after the late policy). ``due`` and ``late_penalty_per_day``, when given, are the late policy
of every exercise in the assignment; without them each exercise keeps the policy set on its settings page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import cast

from grader.exercise import Catalogue

WHERE = "course.toml"
NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
KEYS = ("name", "title", "due", "late_penalty_per_day", "exercises")


@dataclass(frozen=True)
class Assignment:
    """name: its identifier (URLs, exports, ``gradegrad extend``); points: exercise name -> points, in order.

    due: naive UTC, as every stored time; None leaves each exercise's own due date. late_penalty_per_day:
    the fraction lost per started day late; None leaves each exercise's own late policy.
    """

    name: str
    title: str
    points: Mapping[str, float] = field(hash=False)
    due: datetime | None = None
    late_penalty_per_day: float | None = None

    @property
    def possible(self) -> float:
        return float(sum(self.points.values()))


def one_per_exercise(exercises: Catalogue) -> tuple[Assignment, ...]:
    """The grouping of a course without ``[[assignments]]``: each exercise alone, worth 1 point."""
    return tuple(Assignment(name, exercise.title, {name: 1.0}) for name, exercise in exercises.items())


def read_assignments(tables: object, exercises: Catalogue, problems: list[str]) -> tuple[Assignment, ...]:
    """The ``[[assignments]]`` of course.toml, every problem appended to ``problems`` (the file is then refused)."""
    if not isinstance(tables, list):
        return ()  # read_settings reported the wrong type
    assignments: list[Assignment] = []
    placed: dict[str, str] = {}  # exercise -> the assignment it is in
    for number, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            problems.append(f"{WHERE}: assignments: entry {number} is not a table (write [[assignments]])")
            continue
        assignment = read_one(number, table, exercises, problems)
        if assignment is None:
            continue
        if any(a.name == assignment.name for a in assignments):
            problems.append(f"{WHERE}: the assignment '{assignment.name}' is defined twice")
            continue
        for exercise in assignment.points:
            if exercise in placed:
                problems.append(f"{WHERE}: the exercise '{exercise}' is in two assignments, "
                                f"'{placed[exercise]}' and '{assignment.name}'")
            placed.setdefault(exercise, assignment.name)
        assignments.append(assignment)
    return tuple(assignments)


def read_one(number: int, table: dict[str, object], exercises: Catalogue, problems: list[str]) -> Assignment | None:
    name = table.get("name")
    if not isinstance(name, str) or not NAME.fullmatch(name):
        problems.append(f"{WHERE}: assignment {number}: 'name' must be lower case letters, digits and _, "
                        f"starting with a letter (got {name!r})")
        return None
    where = f"{WHERE}: assignment '{name}'"
    found = len(problems)
    for key in table:
        if key not in KEYS:
            problems.append(f"{where}: unknown key '{key}' (known: {', '.join(KEYS)})")
    title = table.get("title", name)
    if not isinstance(title, str):
        problems.append(f"{where}: 'title' must be text (got {title!r})")
    due = read_due(table.get("due"), where, problems)
    penalty = table.get("late_penalty_per_day")
    if penalty is not None and (isinstance(penalty, bool) or not isinstance(penalty, (int, float))
                                or not 0 <= penalty <= 1):
        problems.append(f"{where}: 'late_penalty_per_day' must be a number from 0 to 1 (got {penalty!r})")
    points = read_points(table.get("exercises"), exercises, where, problems)
    if len(problems) > found:
        return None
    return Assignment(name, str(title), points, due, None if penalty is None else float(cast(float, penalty)))


def read_due(due: object, where: str, problems: list[str]) -> datetime | None:
    """A TOML date-time with its offset (``2026-12-10T23:59:00Z``) as naive UTC; a date or local time is refused,
    since the service's clock is UTC and the file would be read differently elsewhere."""
    if due is None:
        return None
    if isinstance(due, datetime) and due.tzinfo is not None:
        return due.astimezone(UTC).replace(tzinfo=None)
    problems.append(f"{where}: 'due' must be a date and time with its time zone, as 2026-12-10T23:59:00Z "
                    f"(got {due!r})")
    return None


def read_points(table: object, exercises: Catalogue, where: str, problems: list[str]) -> dict[str, float]:
    if not isinstance(table, dict) or not table:
        problems.append(f"{where}: 'exercises' must be a table of exercise = points, as {{ mse_grad = 10 }}")
        return {}
    points: dict[str, float] = {}
    for exercise, value in table.items():
        if exercise not in exercises:
            problems.append(f"{where}: unknown exercise '{exercise}' (exercises: {', '.join(exercises)})")
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{where}: '{exercise}' must be worth a number of points (got {value!r})")
        elif value < 0:
            problems.append(f"{where}: '{exercise}' is worth {value} points; points cannot be negative")
        else:
            points[exercise] = float(value)
    return points
