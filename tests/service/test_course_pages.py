"""The web on a course folder: its exercises offered, and after an edit and a restart the new ones live, the
edited ones changed, and every stored result kept until regraded."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gradegrad_client.command import main
from grader.course import COURSE_DIR_ENV, forget_loaded_courses


@pytest.fixture
def course(tmp_path, monkeypatch):
    folder = tmp_path / "course"
    assert CliRunner().invoke(main, ["new-exercise", "first_grad", "--course", str(folder)]).exit_code == 0
    monkeypatch.setenv(COURSE_DIR_ENV, str(folder))
    forget_loaded_courses()
    yield folder
    forget_loaded_courses()


def restart() -> None:
    """What a restart of web and workers does to the course: it is read again."""
    forget_loaded_courses()


def titles(client, headers) -> dict[str, str]:
    return {row["name"]: row["title"] for row in client.get("/api/v1/exercises", headers=headers).json}


def test_an_edited_course_is_live_after_a_restart_and_stored_results_stay(course, client, make_user, token_for,
                                                                          make_submission, sign_in):
    ada = make_user()
    headers = token_for(ada)
    assert titles(client, headers) == {"first_grad": "Gradient of log-sum-exp"}
    graded = make_submission(ada, "first_grad", status="graded", score=0.5, passed=False)

    assert CliRunner().invoke(main, ["new-exercise", "second_grad", "--course", str(course)]).exit_code == 0
    init = course / "first_grad" / "__init__.py"
    init.write_text(init.read_text().replace("Gradient of log-sum-exp", "Log-sum-exp, edited"))
    assert titles(client, headers) == {"first_grad": "Gradient of log-sum-exp"}  # not before the restart
    restart()

    assert titles(client, headers) == {"first_grad": "Log-sum-exp, edited", "second_grad": "Gradient of log-sum-exp"}
    kept = client.get(f"/api/v1/submissions/{graded.id}", headers=headers).json
    assert (kept["status"], kept["score"], kept["passed"]) == ("graded", 0.5, False)
    sign_in(ada)
    page = client.get("/exercises/second_grad")
    assert page.status_code == 200 and "second_grad(z)" in page.text and "log-sum-exp" in page.text


def test_an_exercise_removed_from_the_course_is_no_longer_offered_but_its_results_stay(
        course, client, make_user, token_for, make_submission):
    ada = make_user()
    headers = token_for(ada)
    graded = make_submission(ada, "first_grad", status="graded", score=1.0, passed=True)
    (course / "first_grad").rename(course / ".first_grad-retired")
    restart()
    assert titles(client, headers) == {}
    refused = client.post("/api/v1/submissions", headers=headers, json={"exercise": "first_grad", "source": "x"})
    assert (refused.status_code, refused.json) == (404, {"error": "Unknown exercise 'first_grad'"})
    kept = client.get(f"/api/v1/submissions/{graded.id}", headers=headers).json
    assert (kept["status"], kept["score"]) == ("graded", 1.0)
