"""The gradebook in points: per student and assignment, the points earned, in GradeGrad's own CSV and in the CSV
layouts Canvas and Moodle import.

An exercise earns its points (course.toml's weights) times the student's best score after the late policy
(extensions included). An assignment none of whose exercises the student has a finished submission for is
"not attempted": an empty cell, which every layout tells from 0 (Canvas and Moodle leave such a grade unset).
The total counts not attempted as 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from grader.assignments import Assignment
from grader.course import current_course
from web.catalogue import publish_catalogue
from web.models import User
from web.spreadsheet import csv_text
from web.stats import best_scores, students

LAYOUTS = ("gradegrad", "canvas", "moodle")
CANVAS_STUDENT_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS_ROW = "    Points Possible"


@dataclass
class Gradebook:
    assignments: tuple[Assignment, ...]
    students: list[User]
    earned: dict[tuple[int, str], float]  # (user id, assignment name) -> points, where attempted

    def points(self, user: User, assignment: Assignment) -> float | None:
        """The points ``user`` earned on ``assignment``, None if not attempted."""
        return self.earned.get((user.id, assignment.name))

    def total(self, user: User) -> float:
        return sum(self.earned.get((user.id, a.name), 0.0) for a in self.assignments)

    @property
    def possible(self) -> float:
        return sum(a.possible for a in self.assignments)


def gradebook(session: Session) -> Gradebook:
    ids = {row.name: row.id for row in publish_catalogue(session)}
    best = best_scores(session)
    book = Gradebook(current_course().assignments, students(session), {})
    for user in book.students:
        for assignment in book.assignments:
            earned = [best[key].score * points for exercise, points in assignment.points.items()
                      if (key := (user.id, ids[exercise])) in best]
            if earned:
                book.earned[(user.id, assignment.name)] = sum(earned)
    return book


def cell(points: float | None) -> object:
    return "" if points is None else round(points, 4)


def gradebook_csv(session: Session, layout: str = "gradegrad") -> str:
    """The gradebook as CSV in ``layout`` (one of LAYOUTS)."""
    book = gradebook(session)
    rows: list[list[object]]
    if layout == "canvas":  # matched on SIS Login ID; a column without a Canvas id makes a new assignment
        rows = [[*CANVAS_STUDENT_COLUMNS, *(f"{a.title} ({a.name})" for a in book.assignments)],
                [CANVAS_POINTS_ROW, "", "", "", "", *(a.possible for a in book.assignments)]]
        rows += [[user.username, "", "", user.username, "", *(cell(book.points(user, a)) for a in book.assignments)]
                 for user in book.students]
    elif layout == "moodle":  # identify users by username; each column is mapped to a grade item on import
        rows = [["username", *(a.title for a in book.assignments)]]
        rows += [[user.username, *(cell(book.points(user, a)) for a in book.assignments)] for user in book.students]
    else:
        rows = [["username", *(a.name for a in book.assignments), "total"]]
        rows += [[user.username, *(cell(book.points(user, a)) for a in book.assignments), cell(book.total(user))]
                 for user in book.students]
    return csv_text(rows)
