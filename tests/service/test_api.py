"""The /api/v1 contract: token auth, exercises, submitting, one's own results only, one error shape."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from web.models import FailedSignIn, Submission
from worker.grading import record_report

RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"


def test_every_call_without_a_token_is_refused_with_the_json_error_shape(client):
    answer = client.get("/api/v1/exercises")
    assert answer.status_code == 401
    assert set(answer.json) == {"error"} and "Bearer" in answer.json["error"]


def test_a_wrong_token_is_refused(client, make_user, token_for):
    make_user()
    assert client.get("/api/v1/exercises", headers={"Authorization": "Bearer gg_nope"}).status_code == 401


def test_exercises_lists_the_catalogue_with_name_and_title(client, make_user, token_for):
    answer = client.get("/api/v1/exercises", headers=token_for(make_user()))
    assert answer.status_code == 200
    names = {e["name"]: e["title"] for e in answer.json}
    assert "mse_grad" in names and names["mse_grad"]


def test_a_json_submission_is_queued_with_a_seed_only_instructors_see(client, session, make_user, token_for):
    answer = client.post("/api/v1/submissions", json={"exercise": "mse_grad", "source": RIGHT},
                         headers=token_for(make_user()))
    assert answer.status_code == 202
    assert answer.json["status"] == "queued" and answer.json["exercise"] == "mse_grad"
    assert "seed" not in answer.json
    row = session.get(Submission, answer.json["id"])
    assert row.source == RIGHT and row.status == "queued" and row.task_id and row.seed is not None
    seen = client.get(f"/api/v1/submissions/{row.id}", headers=token_for(make_user("prof", role="instructor")))
    assert seen.json["seed"] == row.seed


def test_a_notebook_upload_is_graded_from_its_code_cells(client, session, make_user, token_for):
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "My answer", "id": "a"},
        {"cell_type": "code", "metadata": {}, "source": RIGHT, "outputs": [], "execution_count": None, "id": "b"}]}
    answer = client.post("/api/v1/submissions", headers=token_for(make_user()), data={
        "exercise": "mse_grad", "file": (io.BytesIO(json.dumps(notebook).encode()), "homework.ipynb")})
    assert answer.status_code == 202, answer.json
    assert "def mse_grad" in session.get(Submission, answer.json["id"]).source


def test_an_empty_file_is_refused_with_the_reason(client, make_user, token_for):
    answer = client.post("/api/v1/submissions", headers=token_for(make_user()),
                         data={"exercise": "mse_grad", "file": (io.BytesIO(b"  \n"), "empty.py")})
    assert answer.status_code == 400 and "empty" in answer.json["error"]


def test_an_unknown_exercise_answers_404(client, make_user, token_for):
    answer = client.post("/api/v1/submissions", json={"exercise": "nope", "source": RIGHT},
                         headers=token_for(make_user()))
    assert answer.status_code == 404 and "nope" in answer.json["error"]


def test_the_rate_limit_answers_429_once_spent(make_app, session, make_user, token_for, published):
    published("mse_grad").per_hour = 2
    session.commit()
    headers, client = token_for(make_user()), make_app(MAX_IN_FLIGHT=3).test_client()
    answers = [client.post("/api/v1/submissions", json={"exercise": "mse_grad", "source": RIGHT}, headers=headers)
               for _ in range(3)]
    assert [answer.status_code for answer in answers] == [202, 202, 429]
    assert answers[2].json["error"].startswith("Rate limit")


def test_a_graded_submission_carries_the_grade_json_fields(client, session, make_user, token_for, make_submission):
    user = make_user()
    submission = make_submission(user, status="running")
    record_report(session, submission.id, {
        "score": 0.5, "passed": False, "error": None, "hints": ["Keep the 1/n."], "samples": [], "output": "",
        "cases": [{"name": "n = 1", "passed": True, "message": "Right", "kind": "right"},
                  {"name": "n = 2", "passed": False, "message": "twice", "kind": "values", "hint": "Keep the 1/n."}]})
    session.commit()
    body = client.get(f"/api/v1/submissions/{submission.id}", headers=token_for(user)).json
    assert body["status"] == "graded" and body["score"] == 0.5 and body["passed"] is False
    assert body["error"] is None and [c["passed"] for c in body["cases"]] == [True, False]
    assert body["hints"] == ["Keep the 1/n."]


def test_another_students_submission_answers_404(client, make_user, token_for, make_submission):
    theirs = make_submission(make_user("grace"))
    answer = client.get(f"/api/v1/submissions/{theirs.id}", headers=token_for(make_user("ada")))
    assert answer.status_code == 404 and answer.json == {"error": f"No submission {theirs.id}"}


def test_history_lists_only_ones_own_submissions(client, make_user, token_for, make_submission):
    ada, grace = make_user("ada"), make_user("grace")
    mine = make_submission(ada)
    make_submission(grace)
    assert [s["id"] for s in client.get("/api/v1/submissions", headers=token_for(ada)).json] == [mine.id]


def test_a_password_buys_a_token_that_works(client, make_user):
    make_user("ada")
    answer = client.post("/api/v1/tokens", json={"username": "ada", "password": "correct horse battery"})
    assert answer.status_code == 201
    bearer = {"Authorization": f"Bearer {answer.json['token']}"}
    assert client.get("/api/v1/exercises", headers=bearer).status_code == 200
    assert client.post("/api/v1/tokens", json={"username": "ada", "password": "wrong"}).status_code == 401


def test_the_openapi_document_describes_every_route(client):
    document = client.get("/api/v1/openapi.json").json
    assert document["openapi"].startswith("3.")
    assert {"/exercises", "/submissions", "/submissions/{id}", "/tokens"} <= set(document["paths"])


def test_hidden_case_verdicts_stay_hidden_when_the_instructor_says_so(client, session, make_user, token_for,
                                                                      make_submission, published):
    published("mse_grad").show_hidden_results = False
    session.commit()
    user = make_user()
    submission = make_submission(user, status="running")
    record_report(session, submission.id, {
        "exercise": "mse_grad", "score": 0.0, "passed": False, "error": None, "hints": [], "samples": [],
        "output": "", "cases": [{"name": "n = 2", "passed": False, "message": "twice", "kind": "values",
                                 "hint": "Keep the 1/n."}]})
    session.commit()
    case = client.get(f"/api/v1/submissions/{submission.id}", headers=token_for(user)).json["cases"][0]
    assert case["passed"] is None and case["message"] == "Hidden by the instructor" and case["hint"] is None


def test_a_submission_is_accepted_and_kept_queued_while_the_broker_is_down(database_url, tmp_path):
    from web import create_app
    from web.auth import create_user, issue_token
    from web.db import session_factory

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url,
                      "BROKER_URL": "redis://127.0.0.1:1/0",  # nothing listens on port 1
                      "CELERY": {"broker_connection_timeout": 0.5, "task_publish_retry": False}})
    with app.app_context(), session_factory(app)() as session:
        user, _ = create_user(session, "ada", "student", "pw")
        token = issue_token(session, user)
        session.commit()
        answer = app.test_client().post("/api/v1/submissions", json={"exercise": "mse_grad", "source": RIGHT},
                                        headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 202 and answer.json["status"] == "queued"
        row = session.get(Submission, answer.json["id"])
        assert row.status == "queued" and row.task_id is None  # the sweep will send it
    app.extensions["db_engine"].dispose()
    app.extensions["celery"].close()


DEEP = b'{"username": ' + b"[" * 100_000 + b"]" * 100_000 + b', "password": "x"}'
BAD_BODIES = [
    ("deeply-nested", DEEP, "The body is nested too deeply to be read"),
    ("a-list", b'["ada", "pw"]', "The body must be a JSON object, not a list"),
    ("null", b"null", "The body must be a JSON object, not null"),
    ("a-string", b'"ada"', "The body must be a JSON object, not a string"),
    ("empty", b"", "The body is empty: send a JSON object"),
    ("not-json", b"{username: ada}", "The body is not valid JSON: Expecting property name enclosed in double quotes"),
    ("invalid-utf-8", b'{"username": "\xff\xfe", "password": "x"}', "The body is not valid UTF-8 (byte "),
    ("huge-integer", b'{"username": ' + b"9" * 5000 + b', "password": "x"}',
     "The body is not valid JSON: a number has more than 30 digits"),
    ("nan", b'{"username": NaN, "password": "x"}', "The body is not valid JSON: NaN is not a JSON number"),
    ("lone-surrogate", b'{"username": "\\ud800", "password": "x"}',
     "'username' holds a lone surrogate escape (such as \\ud800), which is not text"),
    ("number-for-a-string", b'{"username": 1e999, "password": "x"}', "'username' must be a string, not a number"),
    ("object-for-a-string", b'{"username": {"$ne": null}, "password": "x"}',
     "'username' must be a string, not an object"),
    ("missing-field", b'{"username": "ada"}', "Say 'password': a string"),
]


@pytest.mark.parametrize(("body", "message"), [row[1:] for row in BAD_BODIES], ids=[row[0] for row in BAD_BODIES])
def test_a_bad_body_for_a_token_is_a_400_that_says_what_is_wrong_and_costs_no_sign_in(client, session, make_user,
                                                                                     body, message):
    make_user()
    answer = client.post("/api/v1/tokens", data=body, content_type="application/json")
    assert (answer.status_code, answer.json) == (400, {"error": answer.json["error"]})
    assert answer.json["error"].startswith(message), answer.json["error"]
    assert session.scalar(select(func.count()).select_from(FailedSignIn)) == 0


def test_a_token_request_that_is_not_json_is_a_400_naming_the_content_type(client, make_user):
    make_user()
    answer = client.post("/api/v1/tokens", data={"username": "ada", "password": "correct horse battery"})
    assert answer.status_code == 400 and answer.json == {
        "error": "Send a JSON object with 'Content-Type: application/json', not 'application/x-www-form-urlencoded'"}


SUBMISSION_BODIES = [
    (row[0], row[1].replace(b'"username"', b'"source"').replace(b'"password": "x"', b'"exercise": "mse_grad"'),
     row[2].replace("'username'", "'source'").replace("'password'", "'exercise'"))
    for row in BAD_BODIES] + [
    ("list-for-the-exercise", b'{"exercise": ["mse_grad"], "source": "x = 1"}',
     "'exercise' must be a string, not a list"),
    ("number-for-the-filename", b'{"exercise": "mse_grad", "source": "x = 1", "filename": 7}',
     "'filename' must be a string, not a number"),
]


@pytest.mark.parametrize(("body", "message"), [row[1:] for row in SUBMISSION_BODIES],
                         ids=[row[0] for row in SUBMISSION_BODIES])
def test_a_bad_json_submission_is_a_400_that_says_what_is_wrong_and_stores_nothing(client, session, make_user,
                                                                                  token_for, body, message):
    answer = client.post("/api/v1/submissions", data=body, content_type="application/json",
                         headers=token_for(make_user()))
    assert (answer.status_code, answer.json) == (400, {"error": answer.json["error"]})
    assert answer.json["error"].startswith(message), answer.json["error"]
    assert session.scalar(select(func.count()).select_from(Submission)) == 0
