"""An instructor manages students' accounts: a new password shown once, deactivation that keeps the work.

Each test makes an app of its own (see test_security.py): the `app` fixture's context would share Flask-Login's
cached user between the clients of different users.
"""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from tests.service.conftest import PASSWORD
from tests.service.test_instructor_pages import graded
from tests.service.test_security import signed_in
from web.models import User

DEACTIVATED = "This account is deactivated: ask your instructor"


def test_a_reset_password_is_shown_once_and_the_old_one_its_sessions_and_tokens_stop(make_app, make_user,
                                                                                      token_for):
    web = make_app(WTF_CSRF_ENABLED=False)
    headers = token_for(make_user("ada"))
    make_user("prof", role="instructor")
    ada, prof = signed_in(web, "ada"), signed_in(web, "prof")
    answer = prof.post("/instructor/students/ada/password")
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    password = answer.text.split('<code id="new-password">')[1].split("</code>")[0]
    assert len(password) == 12
    assert "Give ada this password now: it is not stored and will not be shown again." in answer.text
    assert password not in prof.get("/instructor/roster").text
    assert prof.get("/instructor/students/ada/password").status_code == 405
    assert ada.get("/submissions").status_code == 302  # signed out
    revoked = web.test_client().get("/api/v1/exercises", headers=headers)
    assert (revoked.status_code, revoked.json) == (401, {
        "error": "This API token was revoked; sign in again for a new one"})
    old = web.test_client().post("/login", data={"username": "ada", "password": PASSWORD})
    assert old.status_code == 200 and "Wrong username or password." in old.text
    assert web.test_client().post("/login", data={"username": "ada", "password": password}).status_code == 302


def test_a_deactivated_student_cannot_sign_in_or_use_a_token_and_their_work_stays(make_app, session, make_user,
                                                                                  token_for, make_submission):
    web = make_app(WTF_CSRF_ENABLED=False)
    user = make_user("ada")
    headers = token_for(user)
    graded(session, make_submission, user, 0.4)
    make_user("prof", role="instructor")
    ada, prof = signed_in(web, "ada"), signed_in(web, "prof")
    roster = prof.post("/instructor/students/ada/deactivate", follow_redirects=True).text
    assert ("Deactivated ada: they cannot sign in or use their API tokens; their submissions stay in the gradebook."
            in roster)
    assert '<span class="badge inactive">inactive</span>' in roster.split('id="user-ada"')[1].split("</tr>")[0]

    assert ada.get("/submissions").status_code == 302
    refused = web.test_client().post("/login", data={"username": "ada", "password": PASSWORD})
    assert refused.status_code == 403 and f"{DEACTIVATED}." in refused.text
    with_token = web.test_client().get("/api/v1/exercises", headers=headers)
    assert (with_token.status_code, with_token.json) == (401, {"error": DEACTIVATED})
    new_token = web.test_client().post("/api/v1/tokens", json={"username": "ada", "password": PASSWORD})
    assert (new_token.status_code, new_token.json) == (403, {"error": DEACTIVATED})

    matrix = prof.get("/instructor/").text.split('id="matrix"')[1].split("</table>")[0]
    assert '<a href="/instructor/students/ada">ada</a> <span class="badge inactive">inactive</span>' in matrix
    assert "40%" in matrix
    rows = {r["username"]: r for r in csv.DictReader(io.StringIO(prof.get("/instructor/gradebook.csv").text))}
    assert float(rows["ada"]["mse_grad"]) == 0.4

    reactivated = prof.post("/instructor/students/ada/reactivate", follow_redirects=True).text
    assert "Reactivated ada: they can sign in again." in reactivated
    assert web.test_client().get("/api/v1/exercises", headers=headers).status_code == 200
    assert signed_in(web, "ada").get("/submissions").status_code == 200


def test_only_an_instructor_manages_accounts_and_only_students_ones(make_app, make_user):
    web = make_app(WTF_CSRF_ENABLED=False)
    for name, role in (("ada", "student"), ("grace", "student"), ("hopper", "instructor"), ("prof", "instructor")):
        make_user(name, role=role)
    ada, prof = signed_in(web, "ada"), signed_in(web, "prof")
    for path in ("/instructor/students/grace/password", "/instructor/students/grace/deactivate"):
        assert ada.post(path).status_code == 404
    for path in ("/instructor/students/hopper/password", "/instructor/students/hopper/deactivate",
                 "/instructor/students/nobody/password"):
        assert prof.post(path).status_code == 404


def test_a_roster_import_that_fails_adds_no_one_and_lists_no_one_it_did_not_add(client, session, make_user,
                                                                                 sign_in):
    sign_in(make_user("prof", role="instructor"))
    roster = b"username,role\nada,student\ngrace,student\nhopper,student\nlovelace,teacher\n"
    answer = client.post("/instructor/roster", data={"file": (io.BytesIO(roster), "roster.csv")},
                         content_type="multipart/form-data")
    assert "Could not import the roster: line 5: role must be one of student, instructor" in answer.text
    assert "<h2>Students (0)</h2>" in answer.text
    assert not any(name in answer.text for name in ("ada", "grace", "hopper"))
    assert "<h2>Imported</h2>" not in answer.text
    session.expire_all()
    assert list(session.scalars(select(User.username))) == ["prof"]
