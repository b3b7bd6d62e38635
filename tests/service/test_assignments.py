"""Assignments in points: the student's page grouped by assignment, the gradebook and its Canvas and Moodle
exports, and per-student extensions moving the late penalty everywhere it applies."""

from __future__ import annotations

import html
import re
from datetime import datetime

import pytest
from click.testing import CliRunner

from gradegrad_client.command import main
from grader.course import COURSE_DIR_ENV, forget_loaded_courses

HOMEWORK = '''
title = "Gradients"
builtin = ["mse_grad", "linreg_grad", "softmax_ce_grad", "chain_rule_grad"]

[[assignments]]
name = "hw1"
title = "Homework 1"
due = 2026-11-01T00:00:00Z
late_penalty_per_day = 0.25
exercises = { mse_grad = 10, linreg_grad = 20 }

[[assignments]]
name = "hw2"
title = "Homework 2"
exercises = { softmax_ce_grad = 5 }
'''
DUE = datetime(2026, 11, 1)
ON_TIME, TWO_DAYS_LATE = datetime(2026, 10, 31, 12), datetime(2026, 11, 2, 12)


@pytest.fixture
def homework(tmp_path, monkeypatch):
    """A course folder with two assignments and a practice exercise (chain_rule_grad), read before the app is."""
    folder = tmp_path / "course"
    folder.mkdir()
    (folder / "course.toml").write_text(HOMEWORK)
    monkeypatch.setenv(COURSE_DIR_ENV, str(folder))
    forget_loaded_courses()
    yield folder
    forget_loaded_courses()


@pytest.fixture
def marks(homework, session, make_user, make_submission):
    """ada: mse_grad right on time (10 of 10), linreg_grad half right two days late (0.5 x 0.5 x 20 = 5);
    grace: mse_grad wrong on time (0, attempted); bob: nothing."""
    ada, grace, bob = make_user("ada"), make_user("grace"), make_user("bob")
    make_submission(ada, "mse_grad", status="graded", score=1.0, passed=True, created_at=ON_TIME)
    make_submission(ada, "linreg_grad", status="graded", score=0.5, passed=False, created_at=TWO_DAYS_LATE)
    make_submission(grace, "mse_grad", status="graded", score=0.0, passed=False, created_at=ON_TIME)
    return ada, grace, bob


def test_a_student_sees_their_exercises_by_assignment_with_due_date_and_points(marks, client, sign_in):
    sign_in(marks[0])
    page = client.get("/").text
    assert re.findall(r'<section class="assignment" id="assignment-(\w+)">', page) == ["hw1", "hw2", "practice"]
    hw1, hw2, practice = page.split('<section class="assignment"')[1:]
    assert "<h2>Homework 1</h2>" in hw1 and "Due 2026-11-01 00:00 UTC" in hw1 and "15 of 30 points" in hw1
    assert "10 / 10" in hw1 and "5 / 20" in hw1
    assert "<h2>Homework 2</h2>" in hw2 and "not attempted · 5 points" in hw2 and "– / 5" in hw2
    assert "<h2>Practice</h2>" in practice and "chain_rule_grad" in practice and " / " not in practice


def test_the_gradebook_is_in_points_tells_not_attempted_from_zero_and_totals_by_the_weights(marks, client, make_user,
                                                                                            sign_in):
    sign_in(make_user("prof", role="instructor"))
    answer = client.get("/instructor/gradebook.csv")
    assert answer.headers["Content-Disposition"] == "attachment; filename=gradebook.csv"
    assert answer.text.splitlines() == [
        "username,hw1,hw2,total",
        "ada,15.0,,15.0",
        "bob,,,0.0",
        "grace,0.0,,0.0",
    ]


def test_the_canvas_export_has_canvas_s_columns_and_points_possible(marks, client, make_user, sign_in):
    sign_in(make_user("prof", role="instructor"))
    answer = client.get("/instructor/gradebook-canvas.csv")
    assert answer.mimetype == "text/csv"
    assert answer.headers["Content-Disposition"] == "attachment; filename=gradebook-canvas.csv"
    lines = answer.text.splitlines()
    assert lines[:3] == [
        "Student,ID,SIS User ID,SIS Login ID,Section,Homework 1 (hw1),Homework 2 (hw2)",
        "    Points Possible,,,,,30.0,5.0",
        "ada,,,ada,,15.0,",
    ]
    assert lines[3:] == ["bob,,,bob,,,", "grace,,,grace,,0.0,"]


def test_the_moodle_export_identifies_students_by_username(marks, client, make_user, sign_in):
    sign_in(make_user("prof", role="instructor"))
    lines = client.get("/instructor/gradebook-moodle.csv").text.splitlines()
    assert lines == ["username,Homework 1,Homework 2", "ada,15.0,", "bob,,", "grace,0.0,"]


def test_the_exports_are_for_instructors_only(marks, client, sign_in):
    sign_in(marks[0])
    for layout in ("", "-canvas", "-moodle"):
        assert client.get(f"/instructor/gradebook{layout}.csv").status_code == 404
    assert client.get("/instructor/gradebook-excel.csv").status_code == 404


def test_an_extension_from_the_dashboard_lifts_the_late_penalty_in_the_score_and_the_exports(
        marks, client, make_user, sign_in, token_for):
    ada = marks[0]
    assert late_linreg(client, token_for(ada)) == (2, 0.25)  # two started days late at 0.25 a day
    sign_in(make_user("prof", role="instructor"))
    answer = client.post("/instructor/extensions", data={"username": "ada", "assignment": "hw1",
                                                         "until": "2026-11-03T00:00"})
    assert answer.status_code == 302 and answer.location.endswith("/instructor/#extensions")
    dashboard = client.get("/instructor/").text
    assert "ada has until 2026-11-03 00:00 UTC on hw1." in dashboard
    assert re.search(r"<td>ada</td><td>hw1</td><td>2026-11-03 00:00 UTC</td>", dashboard)
    assert client.get("/instructor/gradebook.csv").text.splitlines()[1] == "ada,20.0,,20.0"  # 10 + 0.5 x 20
    assert client.get("/instructor/gradebook-canvas.csv").text.splitlines()[2] == "ada,,,ada,,20.0,"
    assert late_linreg(client, token_for(ada)) == (0, 0.5)
    sign_in(ada)
    page = client.get("/").text
    assert "20 of 30 points" in page and "2026-11-03 00:00 UTC (extended)" in page and "(your extension)" in page
    deadline = re.search(r'<p class="meta" id="deadline">(.*?)</p>', client.get("/exercises/linreg_grad").text, re.S)
    assert " ".join(deadline.group(1).split()) == \
        "Due 2026-11-03 00:00 UTC (your extension) · late: 25% off per started day"
    due = {row["name"]: row["due_at"] for row in client.get("/api/v1/exercises", headers=token_for(ada)).json}
    assert (due["mse_grad"], due["softmax_ce_grad"], due["chain_rule_grad"]) == ("2026-11-03T00:00:00Z", None, None)


def test_an_assignment_s_due_date_and_penalty_are_its_exercises_for_students_without_an_extension(
        marks, client, token_for, sign_in):
    grace = marks[1]
    assert client.get("/api/v1/exercises", headers=token_for(grace)).json[0]["due_at"] == "2026-11-01T00:00:00Z"
    sign_in(grace)
    deadline = re.search(r'<p class="meta" id="deadline">(.*?)</p>', client.get("/exercises/mse_grad").text, re.S)
    assert " ".join(deadline.group(1).split()) == "Due 2026-11-01 00:00 UTC · late: 25% off per started day"


def late_linreg(client, headers) -> tuple[int, float]:
    """(days late, effective score) of ada's linreg_grad submission, as the API answers them."""
    answer = next(s for s in client.get("/api/v1/submissions", headers=headers).json if s["exercise"] == "linreg_grad")
    return answer["days_late"], answer["effective_score"]


@pytest.mark.parametrize(("form", "message"), [
    ({"username": "nobody", "assignment": "hw1", "until": "2026-11-03T00:00"}, "no user 'nobody'"),
    ({"username": "ada", "assignment": "hw9", "until": "2026-11-03T00:00"},
     "no assignment 'hw9' in this course (assignments: hw1, hw2)"),
    ({"username": "prof", "assignment": "hw1", "until": "2026-11-03T00:00"},
     "'prof' is an instructor; extensions are for students"),
    ({"username": "ada", "assignment": "hw1", "until": "next week"}, "Not a valid datetime value"),
    ({"username": "ada", "assignment": "hw1", "until": ""}, "Give the new due date"),
], ids=["unknown user", "unknown assignment", "instructor", "bad date", "no date"])
def test_a_wrong_extension_from_the_dashboard_is_refused_with_the_reason(marks, client, make_user, sign_in, form,
                                                                          message):
    sign_in(make_user("prof", role="instructor"))
    answer = client.post("/instructor/extensions", data=form)
    assert answer.status_code == 400 and f"No extension was given: {message}." in html.unescape(answer.text)
    assert 'id="extension-list"' not in answer.text


@pytest.fixture
def gradegrad(database_url, tmp_path):
    env = {"GRADEGRAD_DATABASE_URL": database_url, "GRADEGRAD_SECRET_KEY": "x",
           "GRADEGRAD_INSTANCE_PATH": str(tmp_path / "instance")}
    return lambda *args: CliRunner().invoke(main, list(args), env=env)


def test_gradegrad_extend_gives_a_new_due_date_and_replaces_an_earlier_one(marks, gradegrad, client, sign_in,
                                                                           make_user):
    done = gradegrad("extend", "ada", "hw1", "--until", "2026-11-02T00:00+01:00")
    assert (done.exit_code, done.output) == (0, "ada has until 2026-11-01 23:00 UTC on hw1\n")
    sign_in(make_user("prof", role="instructor"))
    # one started day late: 10 + 0.75 x 0.5 x 20
    assert client.get("/instructor/gradebook.csv").text.splitlines()[1] == "ada,17.5,,17.5"
    done = gradegrad("extend", "ada", "hw1", "--until", "2026-11-03")
    assert (done.exit_code, done.output) == (0, "ada has until 2026-11-03 00:00 UTC on hw1\n")
    assert client.get("/instructor/gradebook.csv").text.splitlines()[1] == "ada,20.0,,20.0"


@pytest.mark.parametrize(("args", "message"), [
    (["nobody", "hw1", "--until", "2026-11-03"], "no user 'nobody'"),
    (["ada", "hw9", "--until", "2026-11-03"], "no assignment 'hw9' in this course (assignments: hw1, hw2)"),
    (["ada", "hw1", "--until", "soon"], "'soon' is not a date and time such as 2026-12-12T23:59Z"),
], ids=["unknown user", "unknown assignment", "bad date"])
def test_gradegrad_extend_refuses_with_the_reason(marks, gradegrad, args, message):
    done = gradegrad("extend", *args)
    assert (done.exit_code, done.output) == (1, f"Error: {message}\n")
