"""`gradegrad submit`, `status` and `history` against a running service: what a student's terminal shows."""

from __future__ import annotations

import json

import pytest

from web import create_app
from web.catalogue import publish_catalogue
from web.db import session_factory, session_scope

# Right on the public samples (n <= 3), the sign wrong on longer hidden cases; prints its input and,
# first, escapes that would clear the screen and print a verdict of their own.
SOURCE = """def mse_grad(y_hat, y):
    print('\\x1b[2J\\x1b[32mPASSED\\x1b[0m [green]PASSED[/]')
    print('y_hat =', y_hat.tolist())
    sign = -1 if len(y) > 3 else 1
    return sign * 2 * (y_hat - y) / len(y)
"""


@pytest.fixture
def verdicts_hidden(embedded_service):
    """mse_grad with the verdict of each hidden case hidden from students, for this test only."""
    app = create_app({"SECRET_KEY": "x", **embedded_service.config})

    def show(value: bool) -> None:
        with app.app_context(), session_scope(session_factory(app)) as session:
            next(row for row in publish_catalogue(session) if row.name == "mse_grad").show_hidden_results = value

    show(False)
    yield
    show(True)
    app.extensions["db_engine"].dispose()
    app.extensions["celery"].close()


def as_user(service, user, tmp_path):
    def run(*args):
        return service.run(*args, env={"XDG_CONFIG_HOME": str(tmp_path / user), "GRADEGRAD_SERVER": service.url,
                                       "GRADEGRAD_TOKEN": service.tokens[user]})
    return run


def test_a_students_terminal_shows_no_escape_no_hidden_verdict_and_no_hidden_output(embedded_service, tmp_path,
                                                                                    verdicts_hidden):
    ada, prof = as_user(embedded_service, "ada", tmp_path), as_user(embedded_service, "prof", tmp_path)
    (tmp_path / "mine.py").write_text(SOURCE)
    submitted = ada("submit", "mse_grad", str(tmp_path / "mine.py"))
    assert submitted.returncode == 1, submitted.stderr
    submission_id = int(submitted.stdout.strip().splitlines()[-1].split()[1])
    full = json.loads(prof("status", str(submission_id), "--json").stdout)
    hidden_lines = [line for line in full["hidden_output"].splitlines() if line not in full["output"].splitlines()]
    assert hidden_lines and full["passed"] is False and 0 < full["score"] < 1
    for shown in (submitted.stdout, ada("status", str(submission_id)).stdout):
        assert "\x1b[2J" not in shown and "\x1b[32m" not in shown
        assert "\u241b[2J\u241b[32mPASSED\u241b[0m [green]PASSED[/]" in shown
        assert "y_hat = [1.0, 2.0, 3.0]" in shown and not any(line in shown for line in hidden_lines)
        assert "✓" not in shown and "✗" not in shown and "Hidden by the instructor" in shown
    as_json = json.loads(ada("status", str(submission_id), "--json").stdout)
    assert "hidden_output" not in as_json and {case["passed"] for case in as_json["cases"]} == {None}
    assert str(submission_id) in ada("history").stdout
    instructor_view = prof("status", str(submission_id)).stdout
    assert "✓" in instructor_view and "✗" in instructor_view
    assert "hidden cases included" in instructor_view and hidden_lines[0] in instructor_view
