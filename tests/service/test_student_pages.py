"""What a student sees: signing in, the exercise page, submitting, results, history, and nothing of others'."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from exercises import EXERCISES
from web import create_app
from web.models import Submission, utcnow
from worker.grading import record_report

WRONG = "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y)\n"


def test_pages_need_a_signed_in_user(client):
    answer = client.get("/")
    assert answer.status_code == 302 and "/login" in answer.location


def test_a_wrong_password_is_refused_on_the_page(client, make_user):
    make_user("ada")
    answer = client.post("/login", data={"username": "ada", "password": "nope"})
    assert answer.status_code == 200 and "Wrong username or password" in answer.text


def test_the_exercise_page_renders_latex_as_mathml_without_scripts_from_elsewhere(client, make_user, sign_in):
    sign_in(make_user())
    page = client.get("/exercises/mse_grad").text
    assert "<math" in page and "$$" not in page
    assert "cdn" not in page.lower() and "https://" not in page
    assert 'name="source"' in page and 'type="file"' in page and "left this hour: <strong>30</strong>" in page


def test_the_exercise_page_shows_the_rate_limit_left(client, session, make_user, sign_in, make_submission, published):
    published("mse_grad").per_hour = 5
    session.commit()
    ada = make_user()
    make_submission(ada)
    sign_in(ada)
    assert "Submissions left this hour: <strong>4</strong>" in client.get("/exercises/mse_grad").text


def test_submitting_from_the_editor_queues_and_shows_a_self_updating_result_page(client, session, make_user, sign_in):
    sign_in(make_user())
    answer = client.post("/exercises/mse_grad", data={"source": WRONG})
    assert answer.status_code == 302
    page = client.get(answer.location).text
    assert "queued" in page and "poll.js" in page and "updates by itself" in page
    assert session.query(Submission).one().source == WRONG


def test_submitting_a_file_upload_uses_the_file(client, session, make_user, sign_in):
    sign_in(make_user())
    answer = client.post("/exercises/mse_grad", data={"source": "", "file": (io.BytesIO(WRONG.encode()), "mine.py")},
                         content_type="multipart/form-data")
    assert answer.status_code == 302
    assert session.query(Submission).one().filename == "mine.py"


def test_a_form_with_both_code_written_and_a_file_is_refused_and_queues_nothing(client, session, make_user, sign_in):
    sign_in(make_user())
    answer = client.post("/exercises/mse_grad", data={"source": WRONG, "file": (io.BytesIO(WRONG.encode()), "mine.py")},
                         content_type="multipart/form-data")
    assert answer.status_code == 400
    assert ("Both code written on the page and an uploaded file were sent: send one or the other, not both"
            in answer.text)
    assert session.query(Submission).count() == 0


def test_the_exercise_page_enhances_a_plain_form_with_the_editor_served_here(client, make_user, sign_in):
    sign_in(make_user())
    page = client.get("/exercises/mse_grad").text
    assert '<script src="/static/editor/editor.js" defer' in page and "<script>" not in page
    assert '<textarea class="code" data-draft-key="gradegrad-draft:ada:mse_grad"' in page
    assert '<fieldset class="send-choice" id="send-choice" hidden>' in page  # the choice needs the script
    assert '<label for="source" id="source-label">' in page and "press Esc,\n      then Tab" in page


def test_a_closed_exercise_refuses_with_a_message(client, session, make_user, sign_in, published):
    row = published("mse_grad")
    row.due_at, row.late_penalty_per_day = utcnow() - timedelta(days=1), None
    session.commit()
    sign_in(make_user())
    answer = client.post("/exercises/mse_grad", data={"source": WRONG})
    assert answer.status_code == 403 and "late submissions are not accepted" in answer.text


def test_the_graded_result_page_shows_score_verdicts_and_hints(client, session, make_user, sign_in, make_submission):
    ada = make_user()
    submission = make_submission(ada, status="running")
    record_report(session, submission.id, {
        "score": 0.1, "passed": False, "error": None, "hints": ["Keep the factor 1/n."], "samples": [], "output": "",
        "cases": [{"name": "n = 2", "passed": False, "message": "'dy_hat' is twice the true gradient",
                   "kind": "values", "hint": "Keep the factor 1/n."}]})
    session.commit()
    sign_in(ada)
    page = client.get(f"/submissions/{submission.id}").text
    assert "Not yet" in page and "10%" in page and "Keep the factor 1/n." in page and "twice the true" in page
    assert "poll.js" not in page


def test_a_student_cannot_open_another_students_submission(client, make_user, sign_in, make_submission):
    theirs = make_submission(make_user("grace"), source="SECRET = 1")
    sign_in(make_user("ada"))
    answer = client.get(f"/submissions/{theirs.id}")
    assert answer.status_code == 404 and "SECRET" not in answer.text
    assert client.get(f"/submissions/{theirs.id}/status").status_code == 404


def test_history_and_index_show_only_ones_own_work(client, make_user, sign_in, make_submission):
    ada, grace = make_user("ada"), make_user("grace")
    make_submission(ada, status="graded", score=0.5, passed=False)
    make_submission(grace, status="graded", score=1.0, passed=True)
    sign_in(ada)
    assert "50%" in client.get("/").text and "100%" not in client.get("/").text
    assert client.get("/submissions").text.count("/submissions/") == 1


def test_a_student_gets_404_for_instructor_pages(client, make_user, sign_in):
    sign_in(make_user())
    assert client.get("/instructor/").status_code == 404
    assert client.get("/instructor/gradebook.csv").status_code == 404


@pytest.mark.parametrize("path", ["/login", "/exercises/mse_grad"], ids=["login", "submit"])
def test_forms_refuse_a_post_without_the_csrf_token(database_url, tmp_path, path):
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": database_url,
                      "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'b.sqlite3'}"})
    answer = app.test_client().post(path, data={"username": "a", "password": "b", "source": WRONG})
    assert answer.status_code == 400 and "CSRF" in answer.text
    app.extensions["db_engine"].dispose()


@pytest.mark.parametrize("name", list(EXERCISES), ids=list(EXERCISES))
def test_every_exercise_page_renders_its_statement_and_samples(client, make_user, sign_in, name):
    sign_in(make_user())
    page = client.get(f"/exercises/{name}")
    assert page.status_code == 200
    assert "<math" in page.text and "array(" not in page.text


def test_fix_it_and_submit_again_starts_from_ones_own_code_only(client, make_user, sign_in, make_submission):
    ada, grace = make_user("ada"), make_user("grace")
    mine = make_submission(ada, source="MY_ATTEMPT = 1")
    theirs = make_submission(grace, source="THEIR_ATTEMPT = 1")
    sign_in(ada)
    assert "MY_ATTEMPT" in client.get(f"/exercises/mse_grad?from={mine.id}").text
    assert "THEIR_ATTEMPT" not in client.get(f"/exercises/mse_grad?from={theirs.id}").text
