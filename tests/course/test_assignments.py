"""course.toml's [[assignments]]: exercises grouped and weighted in points, every problem named at once."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from grader.course import CourseError, builtin_course, read_course

HOMEWORK = '''
title = "Gradients"
builtin = ["mse_grad", "linreg_grad", "softmax_ce_grad"]

[[assignments]]
name = "hw1"
title = "Homework 1"
due = 2026-12-10T23:59:00+01:00
late_penalty_per_day = 0.2
exercises = { mse_grad = 10, linreg_grad = 20 }
'''


def course_with(folder: Path, toml: str) -> Path:
    (folder / "course.toml").write_text(toml)
    return folder


def test_an_assignment_weighs_its_exercises_in_points_and_the_rest_is_practice(tmp_path):
    course = read_course(course_with(tmp_path, HOMEWORK))
    (hw1,) = course.assignments
    assert (hw1.name, hw1.title, dict(hw1.points), hw1.possible) == (
        "hw1", "Homework 1", {"mse_grad": 10.0, "linreg_grad": 20.0}, 30.0)
    assert hw1.due == datetime(2026, 12, 10, 22, 59) and hw1.late_penalty_per_day == 0.2  # naive UTC
    assert course.assignment_of("linreg_grad") is hw1 and course.assignment_of("softmax_ce_grad") is None


def test_without_assignments_each_exercise_is_one_worth_a_point(tmp_path):
    for course in (builtin_course(), read_course(course_with(tmp_path, 'builtin = ["mse_grad", "linreg_grad"]\n'))):
        assert [(a.name, dict(a.points), a.due, a.late_penalty_per_day) for a in course.assignments] == [
            (name, {name: 1.0}, None, None) for name in course.exercises]
        assert course.assignments[0].title == course.exercises[course.assignments[0].name].title


BAD = '''
builtin = ["mse_grad", "linreg_grad"]

[[assignments]]
name = "hw1"
due = 2026-12-10
exercises = { mse_grad = -1, nope_grad = 3 }

[[assignments]]
name = "hw2"
title = 2
due = 2026-12-10T23:59:00
late_penalty_per_day = 1.5
extra = true
exercises = { linreg_grad = "ten" }

[[assignments]]
name = "hw3"
exercises = { mse_grad = 1 }

[[assignments]]
name = "hw4"
exercises = { linreg_grad = 2, mse_grad = 1 }

[[assignments]]
name = "hw3"
exercises = { linreg_grad = 1 }

[[assignments]]
name = "Homework 5"
exercises = {}

[[assignments]]
name = "hw6"
'''


def test_every_problem_of_the_assignments_is_listed_with_the_file(tmp_path):
    with pytest.raises(CourseError) as refused:
        read_course(course_with(tmp_path, BAD))
    assert refused.value.problems == [
        "course.toml: assignment 'hw1': 'due' must be a date and time with its time zone, as 2026-12-10T23:59:00Z "
        "(got datetime.date(2026, 12, 10))",
        "course.toml: assignment 'hw1': 'mse_grad' is worth -1 points; points cannot be negative",
        "course.toml: assignment 'hw1': unknown exercise 'nope_grad' (exercises: mse_grad, linreg_grad)",
        "course.toml: assignment 'hw2': unknown key 'extra' (known: name, title, due, late_penalty_per_day, "
        "exercises)",
        "course.toml: assignment 'hw2': 'title' must be text (got 2)",
        "course.toml: assignment 'hw2': 'due' must be a date and time with its time zone, as 2026-12-10T23:59:00Z "
        "(got datetime.datetime(2026, 12, 10, 23, 59))",
        "course.toml: assignment 'hw2': 'late_penalty_per_day' must be a number from 0 to 1 (got 1.5)",
        "course.toml: assignment 'hw2': 'linreg_grad' must be worth a number of points (got 'ten')",
        "course.toml: the exercise 'mse_grad' is in two assignments, 'hw3' and 'hw4'",
        "course.toml: the assignment 'hw3' is defined twice",
        "course.toml: assignment 6: 'name' must be lower case letters, digits and _, starting with a letter "
        "(got 'Homework 5')",
        "course.toml: assignment 'hw6': 'exercises' must be a table of exercise = points, as { mse_grad = 10 }",
    ]


def test_assignments_that_are_not_tables_are_refused(tmp_path):
    with pytest.raises(CourseError) as refused:
        read_course(course_with(tmp_path, 'builtin = true\nassignments = ["hw1"]\n'))
    assert refused.value.problems == ["course.toml: assignments: entry 1 is not a table (write [[assignments]])"]
    with pytest.raises(CourseError) as refused:
        read_course(course_with(tmp_path, 'builtin = true\nassignments = "hw1"\n'))
    assert refused.value.problems == ["course.toml: 'assignments' has the wrong type (str)"]
