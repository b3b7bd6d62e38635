"""A course folder outside the platform: loaded whole or refused with every problem, made from new-exercise,
graded by `gradegrad grade --course`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gradegrad_client.command import main
from grader.course import (
    COURSE_DIR_ENV,
    CourseError,
    builtin_course,
    current_course,
    forget_loaded_courses,
    read_course,
)

CUBE_LOSS = '''
import numpy as np

gradient = None


def loss(z):
    return float(np.sum(z ** 4) / 4)
'''
CUBE_MISTAKES = '''
from grader.exercise import Mistake


def _square(z):
    return z ** 2


MISTAKES = (Mistake("squared", "d/dz of z^4 / 4 is z^3: the power drops by one, not two.", _square),)
'''
RIGHT = "import numpy as np\n\ndef quartic_grad(z):\n    return z ** 3\n"
WRONG = "import numpy as np\n\ndef quartic_grad(z):\n    return z ** 2\n"


def gradegrad(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture(autouse=True)
def no_course_cached(monkeypatch):
    """--course sets the variable for the process (its children read it): the test's change is undone after it."""
    monkeypatch.setenv(COURSE_DIR_ENV, "")
    forget_loaded_courses()
    yield
    forget_loaded_courses()


def quartic_course(folder: Path) -> Path:
    """A course made as an instructor would: new-exercise, then the loss and mistakes edited."""
    made = gradegrad("new-exercise", "quartic_grad", "--course", str(folder))
    assert made.exit_code == 0, made.output
    (folder / "quartic_grad" / "reference.py").write_text(CUBE_LOSS)
    (folder / "quartic_grad" / "mistakes.py").write_text(CUBE_MISTAKES)
    (folder / "course.toml").write_text('title = "Test course"\nbuiltin = ["mse_grad"]\n')
    return folder


def test_a_new_exercise_passes_check_exercises_as_written(tmp_path):
    made = gradegrad("new-exercise", "lse_grad", "--course", str(tmp_path))
    assert made.exit_code == 0, made.output
    assert sorted(p.name for p in (tmp_path / "lse_grad").iterdir()) == [
        "__init__.py", "cases.py", "hints.md", "mistakes.py", "reference.py", "statement.md"]
    checked = gradegrad("check-exercises", "--course", str(tmp_path))
    assert checked.exit_code == 0, checked.output
    assert "lse_grad" in checked.output and "1/1" in checked.output
    course = read_course(tmp_path)
    assert list(course.exercises) == ["lse_grad"] and "$$" in course.exercises["lse_grad"].statement
    assert [hint.split("\n")[0] for hint in course.exercises["lse_grad"].hints] == [
        "Write $L(z) = \\log S$ with $S = \\sum_j e^{z_j}$: only one term of $S$ depends on $z_i$.",
        "The derivative of $\\log S$ is $\\frac{1}{S} \\cdot \\frac{\\partial S}{\\partial z_i}$. What is the",
        "For large scores, subtract $\\max_j z_j$ from every score before `np.exp`: the result is the same."]


def test_an_edited_exercise_grades_right_and_wrong_submissions(tmp_path):
    course = quartic_course(tmp_path / "course")
    assert gradegrad("check-exercises", "--course", str(course)).exit_code == 0
    listed = json.loads(gradegrad("exercises", "--json", "--course", str(course)).output)
    assert [row["name"] for row in listed] == ["mse_grad", "quartic_grad"]
    for source, passed in ((RIGHT, True), (WRONG, False)):
        answer = tmp_path / "answer.py"
        answer.write_text(source)
        graded = gradegrad("grade", "quartic_grad", str(answer), "--json", "--course", str(course))
        report = json.loads(graded.output)
        assert report["passed"] is passed and report["score"] == (1.0 if passed else 0.0)
        if not passed:
            assert report["hints"] == ["d/dz of z^4 / 4 is z^3: the power drops by one, not two."]


def test_the_course_is_taken_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(COURSE_DIR_ENV, str(quartic_course(tmp_path)))
    assert current_course().title == "Test course"
    assert list(current_course().exercises) == ["mse_grad", "quartic_grad"]


def test_without_a_folder_the_builtin_course_is_used():
    assert current_course().folder is None and "mse_grad" in current_course().exercises


def test_a_broken_course_reports_every_problem_with_its_file_and_line(tmp_path):
    (tmp_path / "course.toml").write_text('title = 3\ncolour = "blue"\nbuiltin = ["mse_grad", "nope"]\n')
    (tmp_path / "unclosed").mkdir()
    (tmp_path / "unclosed" / "__init__.py").write_text("EXERCISE = (\n")
    (tmp_path / "raises").mkdir()
    (tmp_path / "raises" / "__init__.py").write_text("from . import cases\n")
    (tmp_path / "raises" / "cases.py").write_text("import numpy as np\n\nSCALE = 1 / 0\n")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "__init__.py").write_text("")
    (tmp_path / "mse_grad").mkdir()
    (tmp_path / "mse_grad" / "__init__.py").write_text("from exercises.mse_grad import EXERCISE\n")
    (tmp_path / "Upper").mkdir()
    (tmp_path / "Upper" / "__init__.py").write_text("")
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / "cases.py").write_text("")
    (tmp_path / "data").mkdir()  # no Python: not an exercise, and no problem
    with pytest.raises(CourseError) as refused:
        read_course(tmp_path)
    assert refused.value.problems == [
        "course.toml: 'title' has the wrong type (int)",
        "course.toml: unknown setting 'colour' (known: title, builtin, assignments)",
        "course.toml: 'builtin' names 'nope', which is not a built-in exercise (built-in: "
        + ", ".join(builtin_course().exercises) + ")",
        "Upper/: an exercise's folder is named in lower case letters, digits and _, starting with a letter, "
        "and is not a Python keyword",
        "empty/__init__.py: defines no EXERCISE (a grader.exercise.Exercise)",
        "loose/: has Python files but no __init__.py, so it is not an exercise",
        "mse_grad/__init__.py: the exercise 'mse_grad' is defined twice "
        "(a built-in exercise of that name is included by course.toml)",
        "raises/cases.py:3: ZeroDivisionError: division by zero",
        "unclosed/__init__.py:1: syntax error: '(' was never closed",
    ]
    checked = gradegrad("check-exercises", "--course", str(tmp_path))
    assert checked.exit_code == 1
    assert "raises/cases.py:3: ZeroDivisionError" in checked.output and "unclosed/__init__.py:1" in checked.output


def test_an_exercise_named_apart_from_its_folder_is_refused(tmp_path):
    gradegrad("new-exercise", "first", "--course", str(tmp_path))
    (tmp_path / "first").rename(tmp_path / "second")
    with pytest.raises(CourseError) as refused:
        read_course(tmp_path)
    assert refused.value.problems == [
        "second/__init__.py: EXERCISE is named 'first' but its folder is 'second'; name the folder after the exercise"]


def test_two_courses_in_one_process_share_no_module(tmp_path):
    for name, scale in (("a", 2), ("b", 3)):
        gradegrad("new-exercise", "same", "--course", str(tmp_path / name))
        reference = tmp_path / name / "same" / "reference.py"
        reference.write_text(reference.read_text().replace("return float(top +", f"return {scale} * float(top +"))
    first, second = read_course(tmp_path / "a"), read_course(tmp_path / "b")
    case = first.exercises["same"].public_cases[0]
    assert first.exercises["same"].loss_value(case) * 3 == pytest.approx(second.exercises["same"].loss_value(case) * 2)


def test_reading_a_folder_again_sees_its_edits(tmp_path):
    gradegrad("new-exercise", "edited", "--course", str(tmp_path))
    assert read_course(tmp_path).exercises["edited"].title == "Gradient of log-sum-exp"
    init = tmp_path / "edited" / "__init__.py"
    init.write_text(init.read_text().replace("Gradient of log-sum-exp", "Edited title"))
    assert read_course(tmp_path).exercises["edited"].title == "Edited title"


@pytest.mark.parametrize(("name", "message"), [
    ("Bad-Name", "an exercise's name is lower case letters, digits and _, starting with a letter"),
    ("class", "and not a Python keyword (it is also the function's name)"),
    ("taken", "already exists; nothing was written"),
])
def test_new_exercise_refuses_a_bad_or_taken_name(tmp_path, name, message):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine")
    made = gradegrad("new-exercise", name, "--course", str(tmp_path))
    assert made.exit_code == 2 and message in made.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
    assert (tmp_path / "taken" / "keep.txt").read_text() == "mine"


def test_a_statement_names_its_course_folder_nowhere(tmp_path):
    """The course's files are the instructor's: nothing the student reads names where they are."""
    course = quartic_course(tmp_path / "private-course")
    exercise = read_course(course).exercises["quartic_grad"]
    assert "private-course" not in exercise.statement
    answer = tmp_path / "answer.py"
    answer.write_text(WRONG)
    report = json.loads(gradegrad("grade", "quartic_grad", str(answer), "--json", "--course", str(course)).output)
    assert "private-course" not in json.dumps(report)


def test_check_exercises_reports_an_exercise_whose_own_code_fails_and_checks_the_others(tmp_path):
    for name in ("broken", "fine"):
        assert gradegrad("new-exercise", name, "--course", str(tmp_path)).exit_code == 0
    cases = tmp_path / "broken" / "cases.py"
    failing = '    raise ValueError("no data file")\n    cases = [\n'
    cases.write_text(cases.read_text().replace("    cases = [\n", failing))
    checked = gradegrad("check-exercises", "--course", str(tmp_path))
    assert checked.exit_code == 1
    lines = " ".join(checked.output.split())
    assert "Error: broken: its own code failed: broken/cases.py:15: ValueError: no data file" in lines
    assert "│ fine " in checked.output and "│ yes │" in checked.output


def test_grading_against_an_exercise_whose_own_code_fails_blames_the_exercise(tmp_path):
    gradegrad("new-exercise", "quartic_grad", "--course", str(tmp_path))
    reference = tmp_path / "quartic_grad" / "reference.py"
    reference.write_text(reference.read_text().replace("    top = np.max(z)\n", "    top = np.max(z)\n"
                                                        "    assert z.size < 2, 'reference broken'\n"))
    answer = tmp_path / "answer.py"
    answer.write_text(RIGHT)
    graded = gradegrad("grade", "quartic_grad", str(answer), "--course", str(tmp_path))
    assert graded.exit_code == 1
    assert graded.output == ("Error: the exercise 'quartic_grad' failed: quartic_grad/reference.py:12: "
                             "AssertionError: reference broken\n")
