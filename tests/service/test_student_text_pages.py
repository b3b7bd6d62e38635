"""Pages show the control and invisible characters of student text instead of obeying them."""

from __future__ import annotations

from tests.service.conftest import PASSWORD
from worker.grading import record_report


def signed_in(app, user):
    client = app.test_client()
    answer = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert answer.status_code == 302, answer.text
    return client


def test_pages_show_control_and_bidi_characters_of_student_text(app, session, make_user, make_submission):
    ada = make_user("ada")
    submission = make_submission(ada, status="running", filename="x\u202etxt.py")
    record_report(session, submission.id, {
        "exercise": "mse_grad", "score": 0.0, "passed": False, "error": "SyntaxError: \x1b[2J", "hints": [],
        "samples": [], "output": "\x1b[2J\x1b[32mPASSED\u202e!\r\n", "hidden_output": "",
        "cases": [{"name": "n = 1", "passed": False, "message": "Raised ValueError: \u2066x\x07",
                   "kind": "exception"}]})
    session.commit()
    page = signed_in(app, ada).get(f"/submissions/{submission.id}").text
    assert not any(char in page for char in "\x1b\u202e\u2066\x07\r")
    assert "\u241b[2J\u241b[32mPASSED\\u202e!\u240d" in page and "x\\u202etxt.py" in page
    assert "SyntaxError: \u241b[2J" in page and "Raised ValueError: \\u2066x\u2407" in page
