"""The result page leads with the answer: verdict, score and one diagnosis on top, then grouped case
messages, the traceback and the numbered code, with numbers printed for reading."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from web.models import User
from worker.grading import record_report

SOURCE = "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y)\n"
TWICE = "'dy_hat' is twice the true gradient"
HINT = "Keep the factor 1/n."


def ten_cases(message: str = TWICE, **fields: Any) -> list[dict[str, Any]]:
    return [{"name": f"case {i}", "passed": False, "message": message, "kind": "values", "hint": HINT, **fields}
            for i in range(10)]


def sample(expected: list[float], got: list[float], traceback: str | None = None) -> dict[str, Any]:
    return {"name": "two points", "passed": False, "message": TWICE, "hint": HINT, "inputs": {"y": [0.1, 0.3]},
            "expected": {"dy_hat": expected}, "got": {"dy_hat": got}, "traceback": traceback}


def graded_page(session, client, make_user, sign_in, make_submission, **report: Any) -> str:
    ada = make_user("ada")
    submission = make_submission(ada, status="running", source=SOURCE)
    record_report(session, submission.id, {"score": 0.0, "passed": False, "error": None, "hints": [HINT],
                                           "samples": [], "output": "", "cases": ten_cases(), **report})
    session.commit()
    sign_in(ada)
    return client.get(f"/submissions/{submission.id}").text


def verdict_section(page: str) -> str:
    found = re.search(r'<section id="verdict"[^>]*>(.*?)</section>', page, re.DOTALL)
    assert found, page
    return found[1]


def test_the_top_says_the_verdict_the_score_and_the_named_mistakes_hint(session, client, make_user, sign_in,
                                                                        make_submission):
    page = graded_page(session, client, make_user, sign_in, make_submission, score=0.3,
                       hints=[HINT, "A sample's own hint."])
    top = verdict_section(page)
    assert '<h2 id="verdict-line">Not yet: score 30%</h2>' in top
    assert f'<p id="diagnosis" class="diagnosis">{HINT}</p>' in top
    assert page.index('id="verdict"') < page.index("Hidden cases")
    assert "<h2>Other hints</h2>" in page and '<li class="hint">A sample&#39;s own hint.</li>' in page


def test_the_top_says_the_submissions_error_as_the_diagnosis(session, client, make_user, sign_in, make_submission):
    error = "SyntaxError: invalid syntax (line 2, column 5)"
    page = graded_page(session, client, make_user, sign_in, make_submission, error=error, hints=[],
                       cases=ten_cases(f"Not run: {error}", kind="not_run", hint=None))
    assert f'<p id="diagnosis" class="error-message">{error}</p>' in verdict_section(page)
    assert "Hints</h2>" not in page


def test_ten_identical_case_messages_read_as_one_line_with_each_case_kept_below(session, client, make_user,
                                                                               sign_in, make_submission):
    page = graded_page(session, client, make_user, sign_in, make_submission)
    assert page.count(f"10 of 10 hidden cases: {TWICE}".replace("'", "&#39;")) == 1
    assert re.search(r'<li class="fail"><span class="mark">✗</span> 10 of 10 hidden cases: ', page)
    each = re.search(r'<details class="each-case"><summary>Each hidden case \(10\)</summary>(.*?)</details>', page,
                     re.DOTALL)
    assert each and each[1].count('<tr class="fail">') == 10 and "<td>case 9</td>" in each[1]


def test_mixed_verdicts_group_failures_first(session, client, make_user, sign_in, make_submission):
    cases = [{"name": "n = 1", "passed": True, "message": "Right", "kind": "values", "hint": None},
             *ten_cases()[:3]]
    page = graded_page(session, client, make_user, sign_in, make_submission, score=0.25, cases=cases)
    assert page.index("3 of 4 hidden cases: ") < page.index("1 of 4 hidden cases: Right")


def test_the_code_and_the_traceback_show_with_line_numbers(session, client, make_user, sign_in, make_submission):
    traceback = '  File "submission.py", line 2, in mse_grad\nValueError: shapes differ\n'
    page = graded_page(session, client, make_user, sign_in, make_submission,
                       samples=[sample([-0.4], [0.0], traceback)])
    assert ('<pre class="code numbered" id="code">'
            '<span class="line" id="L1"><span class="ln" aria-hidden="true">1</span>def mse_grad(y_hat, y):</span>\n'
            '<span class="line" id="L2"><span class="ln" aria-hidden="true">2</span>    return 2 * (y_hat - y)</span>'
            '</pre>') in page
    assert f'<h2>Your traceback</h2>\n<pre class="traceback" id="traceback">{traceback}</pre>'.replace(
        '"submission.py"', "&#34;submission.py&#34;") in page
    assert page.count("ValueError: shapes differ") == 1  # the sample's card does not repeat it


def test_a_samples_values_show_six_significant_digits_and_the_api_keeps_every_digit(
        session, client, make_user, sign_in, make_submission, token_for):
    page = graded_page(session, client, make_user, sign_in, make_submission,
                       samples=[sample([-0.3999999999999999, 2.0], [-0.7999999999999998, 4.000000000000001])])
    assert "expected dy_hat = [-0.4, 2.0]\ngot      dy_hat = [-0.8, 4.0]\n" in page
    assert "0.3999999999999999" not in page and "0.7999999999999998" not in page
    assert "y = [0.1, 0.3]" in page  # inputs keep their digits: a student may copy them to try locally
    submission_id = re.search(r"<h1>Submission (\d+)", page)[1]
    ada = session.scalars(select(User).filter_by(username="ada")).one()
    body = client.get(f"/api/v1/submissions/{submission_id}", headers=token_for(ada)).get_json()
    assert body["samples"][0]["expected"]["dy_hat"] == [-0.3999999999999999, 2.0]
