"""Browser-facing defences: CSRF on every form, cookie flags, security headers, and the database down."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import sessionmaker

from web.models import Regrade, Submission, User
from web.security import CONTENT_SECURITY_POLICY

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
UNREACHABLE_DATABASE = "postgresql+psycopg://gradegrad@127.0.0.1:1/gradegrad"  # nothing listens on port 1


def post_routes(app, blueprint):
    """Every POST URL of a blueprint, its arguments filled with something that exists."""
    values = {"name": "mse_grad", "submission_id": 1, "username": "ada", "change": "deactivate"}
    urls = app.url_map.bind("localhost")
    return sorted(urls.build(rule.endpoint, {key: values[key] for key in rule.arguments})
                  for rule in app.url_map.iter_rules()
                  if rule.endpoint.startswith(f"{blueprint}.") and "POST" in rule.methods)


def signed_in_with_csrf(client, username):
    """Sign in through the real form, token and all."""
    token = CSRF_FIELD.search(client.get("/login").text).group(1)
    answer = client.post("/login", data={"username": username, "password": "correct horse battery",
                                         "csrf_token": token})
    assert answer.status_code == 302, answer.text


@pytest.mark.parametrize("blueprint", ["student", "instructor"])
def test_every_form_post_without_its_csrf_token_is_refused_and_changes_nothing(make_app, make_user, make_submission,
                                                                              session, blueprint):
    app = make_app()  # CSRF on, as in production
    prof = make_user("prof", role="instructor")
    ada = make_user("ada")
    submission = make_submission(prof, status="graded", score=1.0, passed=True)
    client = app.test_client()
    signed_in_with_csrf(client, "prof")
    routes = post_routes(app, blueprint)
    assert routes, f"no POST routes found in {blueprint}"
    for url in routes:
        answer = client.post(url, data={"source": "x = 1", "visible": "y", "per_hour": "1"})
        assert answer.status_code == 400 and "CSRF" in answer.text, url
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Submission)) == 1
    assert session.scalar(select(func.count()).select_from(Regrade)) == 0
    assert session.get(Submission, submission.id).status == "graded"
    account = session.get(User, ada.id)
    assert (account.active, account.password_hash, account.session_version) == (True, ada.password_hash, 0)


def test_the_session_cookie_is_httponly_and_samesite_lax_and_not_secure_over_plain_http(client, make_user):
    make_user()
    answer = client.post("/login", data={"username": "ada", "password": "correct horse battery"})
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_behind_an_https_proxy_the_session_cookie_is_secure(make_app, make_user):
    app = make_app(WTF_CSRF_ENABLED=False, PROXY_FIX_HOPS=1)
    make_user()
    answer = app.test_client().post("/login", data={"username": "ada", "password": "correct horse battery"},
                                    headers={"X-Forwarded-Proto": "https"})
    assert answer.status_code == 302 and "; Secure" in answer.headers["Set-Cookie"]


def test_without_a_trusted_proxy_a_forged_forwarded_proto_is_ignored(client, make_user):
    make_user()
    answer = client.post("/login", data={"username": "ada", "password": "correct horse battery"},
                         headers={"X-Forwarded-Proto": "https"})
    assert answer.status_code == 302 and "Secure" not in answer.headers["Set-Cookie"]


@pytest.mark.parametrize("path", ["/login", "/", "/nope", "/static/style.css", "/api/v1/openapi.json",
                                  "/api/v1/exercises"])
def test_every_response_carries_the_security_headers(client, path):
    with client.get(path) as answer:
        headers = answer.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_the_content_security_policy_allows_nothing_from_elsewhere_and_no_inline_code():
    assert "http" not in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY and "script-src 'self'" in CONTENT_SECURITY_POLICY


def test_the_exercise_page_admits_the_editor_s_styles_by_a_fresh_nonce_and_nothing_else(client, make_user):
    make_user()
    client.post("/login", data={"username": "ada", "password": "correct horse battery"})
    nonces = []
    for _ in range(2):
        answer = client.get("/exercises/mse_grad")
        nonce = re.search(r'data-style-nonce="([^"]+)"', answer.text).group(1)
        assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY.replace(
            "style-src 'self'", f"style-src 'self' 'nonce-{nonce}'")
        nonces.append(nonce)
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 24


def test_with_the_database_unreachable_the_api_answers_503_in_its_json_shape(make_app):
    app = make_app(DATABASE_URL=UNREACHABLE_DATABASE)
    answer = app.test_client().post("/api/v1/submissions", json={"exercise": "mse_grad", "source": "x = 1"},
                                    headers={"Authorization": "Bearer gg_anything"})
    assert answer.status_code == 503 and set(answer.json) == {"error"}
    assert "database" in answer.json["error"] and "nothing was saved" in answer.json["error"]
    assert answer.headers["Retry-After"] == "60"


def test_with_the_database_unreachable_the_sign_in_form_shows_a_plain_page(make_app):
    answer = make_app(DATABASE_URL=UNREACHABLE_DATABASE, WTF_CSRF_ENABLED=False).test_client().post(
        "/login", data={"username": "ada", "password": "pw"})
    assert answer.status_code == 503 and "Temporarily unavailable" in answer.text
    assert "Traceback" not in answer.text and "psycopg" not in answer.text


def test_a_signed_in_students_submission_gets_503_when_the_database_goes_away(app, client, make_user, sign_in):
    sign_in(make_user())
    app.extensions["db"] = sessionmaker(bind=create_engine(UNREACHABLE_DATABASE))  # the database goes away
    answer = client.post("/exercises/mse_grad", data={"source": "def mse_grad(y_hat, y):\n    return 0\n"})
    assert answer.status_code == 503 and "nothing was saved" in answer.text and "Traceback" not in answer.text
    app.extensions["db"].kw["bind"].dispose()



def signed_in(web, username):
    client = web.test_client()
    answer = client.post("/login", data={"username": username, "password": "correct horse battery"})
    assert answer.status_code == 302, answer.text
    return client


def test_a_session_cookie_copied_before_sign_out_signs_in_no_more(make_app, session, make_user):
    # An app of its own: the `app` fixture's context, pushed for the whole test, would share `g` (and with it
    # Flask-Login's cached user) between requests, which a served app never does.
    web = make_app(WTF_CSRF_ENABLED=False)
    make_user("ada")
    client = signed_in(web, "ada")
    copied = client.get_cookie("session").value
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 302
    thief = web.test_client()
    thief.set_cookie("session", copied)
    for answer in (thief.get("/"), thief.post("/exercises/mse_grad", data={"source": "x = 1"})):
        assert answer.status_code == 302 and answer.headers["Location"].startswith("/login"), answer.status_code
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Submission)) == 0
    assert signed_in(web, "ada").get("/").status_code == 200  # signing in again gives a session that works


def test_signing_out_ends_every_session_of_that_user_and_no_one_elses(make_app, make_user):
    web = make_app(WTF_CSRF_ENABLED=False)
    make_user("ada")
    make_user("grace")
    laptop, phone, grace = signed_in(web, "ada"), signed_in(web, "ada"), signed_in(web, "grace")
    assert laptop.post("/logout").status_code == 302
    assert phone.get("/").status_code == 302
    assert grace.get("/").status_code == 200
