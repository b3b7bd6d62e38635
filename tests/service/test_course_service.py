"""A course folder served: the web and a real worker grade its exercises, keyed by the deployment's case key,
students never see a seed, and a worker without an exercise says so on the row."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.stack import GRADEGRAD
from gradegrad_client.command import main
from tests.service.conftest import RunningService, running_service
from web import create_app
from web.db import session_factory
from web.models import CourseExercise, Status, Submission, User
from web.queue import LIVE, new_task_id, send_grading

CASE_KEY = "course-test-key"
QUARTIC_LOSS = "import numpy as np\n\ngradient = None\n\n\ndef loss(z):\n    return float(np.sum(z ** 4) / 4)\n"
RIGHT = "import numpy as np\n\ndef quartic_grad(z):\n    print(np.round(z, 6).tolist())\n    return z ** 3\n"
WRONG = "import numpy as np\n\ndef quartic_grad(z):\n    return z ** 2\n"


@pytest.fixture(scope="module")
def course_service(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[RunningService]:
    """The embedded service on a course folder made by new-exercise and edited: the built-in mse_grad and
    quartic_grad, the gradient of sum(z^4) / 4."""
    folder = tmp_path_factory.mktemp("course-service")
    course = folder / "course"
    made = CliRunner().invoke(main, ["new-exercise", "quartic_grad", "--course", str(course)])
    assert made.exit_code == 0, made.output
    (course / "quartic_grad" / "reference.py").write_text(QUARTIC_LOSS)
    (course / "course.toml").write_text('title = "Served course"\nbuiltin = ["mse_grad"]\n')
    (folder / "app.sqlite3").write_bytes(sqlite_template.read_bytes())
    config = {"DATABASE_URL": f"sqlite:///{folder / 'app.sqlite3'}",
              "BROKER_URL": f"sqla+sqlite:///{folder / 'broker.sqlite3'}"}
    env = {"GRADEGRAD_DATABASE_URL": config["DATABASE_URL"], "GRADEGRAD_BROKER_URL": config["BROKER_URL"],
           "GRADEGRAD_COURSE_DIR": str(course), "GRADEGRAD_CASE_KEY": CASE_KEY}
    yield from running_service(env, folder, config)


def submit(service: RunningService, exercise: str, source: str, user: str = "ada") -> dict:
    answer = service.api("POST", "/submissions", user, json={"exercise": exercise, "source": source})
    assert answer.status_code == 202, answer.text
    return service.wait_graded(answer.json()["id"], user)


def test_the_course_s_exercises_are_listed_and_graded(course_service):
    listed = course_service.api("GET", "/exercises").json()
    assert [row["name"] for row in listed] == ["mse_grad", "quartic_grad"]
    right, wrong = submit(course_service, "quartic_grad", RIGHT), submit(course_service, "quartic_grad", WRONG)
    assert (right["status"], right["passed"], right["score"]) == ("graded", True, 1.0)
    assert (wrong["status"], wrong["passed"], wrong["score"]) == ("graded", False, 0.0)


def test_a_built_in_exercise_the_course_leaves_out_is_not_offered(course_service):
    answer = course_service.api("POST", "/submissions", json={"exercise": "linreg_grad", "source": WRONG})
    assert answer.status_code == 404
    assert answer.json() == {"error": "Unknown exercise 'linreg_grad'"}


def test_a_student_never_sees_the_seed_and_it_alone_reproduces_nothing(course_service, tmp_path):
    graded = submit(course_service, "quartic_grad", RIGHT)
    assert "seed" not in graded
    page = course_service.api("GET", "/submissions").json()
    assert all("seed" not in row for row in page)
    seen = course_service.api("GET", f"/submissions/{graded['id']}", "prof").json()
    answer = tmp_path / "answer.py"
    answer.write_text(RIGHT)

    def local(*extra: str, key: str = "") -> str:
        done = subprocess.run([*GRADEGRAD, "grade", "quartic_grad", str(answer), "--seed", str(seen["seed"]),
                               "--json", *extra], env={**course_service.env, "GRADEGRAD_CASE_KEY": key},
                              capture_output=True, text=True, timeout=120, check=True)
        return json.loads(done.stdout)["hidden_output"]

    assert seen["hidden_output"] and local() != seen["hidden_output"]  # the seed and the platform's code alone
    assert local("--with-case-key", key=CASE_KEY) == seen["hidden_output"]  # the instructor, with the key


def test_a_worker_without_the_exercise_stores_a_clear_error(course_service):
    """The web published 'ghost' (its course had it); the worker's course has not: an error row, no crash."""
    app = create_app({"SECRET_KEY": "x", **course_service.config})
    try:
        with app.app_context(), session_factory(app)() as session:
            ghost = CourseExercise(name="ghost")
            session.add(ghost)
            session.flush()
            ada = session.query(User).filter_by(username="ada").one()
            row = Submission(user_id=ada.id, exercise_id=ghost.id, filename="ghost.py", source=WRONG, seed=1,
                             status=Status.QUEUED, queue=LIVE, task_id=new_task_id())
            session.add(row)
            session.commit()
            send_grading(app.extensions["celery"], row.id, LIVE, row.task_id)
            submission_id = row.id
    finally:
        app.extensions["db_engine"].dispose()
        app.extensions["celery"].close()
    failed = course_service.wait_graded(submission_id)
    assert failed["status"] == "error"
    assert failed["error"] == ("The grading server has no exercise 'ghost': it runs another version of the course. "
                               "This cost no attempt; your instructor can regrade it once the servers agree")
