"""An exercise's most frequent mistakes count submissions, and name the failures no mistake describes."""

from __future__ import annotations

from worker.grading import record_report

SYNTAX = "SyntaxError: expected ':' (line 1, column 23)"
TIME = "Time limit: the submission ran for more than 10 s"


def failed(session, make_submission, user, cases, error=None, notes=None, hint=None):
    """A graded submission whose ten cases all failed the same way, as the grader reports it."""
    submission = make_submission(user, status="running", notes=notes)
    record_report(session, submission.id, {
        "exercise": "mse_grad", "score": 0.0, "passed": False, "error": error, "hints": [], "samples": [],
        "output": "", "cases": [{"name": f"case {i}", "passed": False, "hint": hint, **cases} for i in range(10)]})
    session.commit()
    return submission


def test_failures_are_named_by_kind_and_counted_by_submission(client, session, make_user, make_submission,
                                                             sign_in):
    from exercises import get_exercise

    ada, grace, hopper = make_user("ada"), make_user("grace"), make_user("hopper")
    not_run = {"kind": "not_run"}
    failed(session, make_submission, ada, {**not_run, "message": f"Not run: {SYNTAX}"}, error=SYNTAX)
    failed(session, make_submission, grace, {**not_run, "message": f"Not run: {SYNTAX}"}, error=SYNTAX)
    failed(session, make_submission, hopper, {**not_run, "message": f"Not run: {TIME}"}, error=TIME)
    failed(session, make_submission, ada, {"kind": "exception", "message": "Raised NameError: name 'torch' is not "
                                                                           "defined"},
           error="Every case raised NameError: name 'torch' is not defined",
           notes=["line 1: skipped, `import torch` is not available at grading time"])
    failed(session, make_submission, grace, {"kind": "exception", "message": "Raised ValueError: no"},
           error="Every case raised ValueError: no")
    failed(session, make_submission, hopper, {"kind": "shape", "message": "'dL/dy_hat' has the wrong shape"})
    for error in ("The code raised an exception while loading: ModuleNotFoundError: No module named 'scipy'",
                  "The code raised an exception while loading: ZeroDivisionError: division by zero",
                  "'mse_grad' must take the parameters (y_hat, y); yours is (y_hat)"):
        failed(session, make_submission, ada, {**not_run, "message": f"Not run: {error}"}, error=error)
    mistake = get_exercise("mse_grad").mistakes[0]
    failed(session, make_submission, hopper, {"kind": "values", "message": "wrong"}, hint=mistake.hint)
    sign_in(make_user("prof", role="instructor"))
    page = client.get("/instructor/exercises/mse_grad").text
    named = page.split('id="mistakes"')[1].split("</table>")[0]
    assert f"<tr><td>{mistake.name}</td><td>1</td></tr>" in named
    failures = page.split('id="failures"')[1].split("</tbody>")[0]
    rows = failures.split("<tbody>")[1].strip().split("\n")
    assert rows[0] == "<tr><td>syntax error</td><td>2</td></tr>"
    assert sorted(rows[1:]) == sorted([
        "<tr><td>time limit</td><td>1</td></tr>",
        "<tr><td>import torch is not available</td><td>1</td></tr>",
        "<tr><td>raised ValueError</td><td>1</td></tr>",
        "<tr><td>wrong shape</td><td>1</td></tr>",
        "<tr><td>import scipy is not available</td><td>1</td></tr>",
        "<tr><td>raised ZeroDivisionError while loading</td><td>1</td></tr>",
        "<tr><td>wrong parameters</td><td>1</td></tr>",
    ])
    assert "not_run" not in page and "cases</td>" not in page


def test_an_exercise_without_failures_says_so(client, make_user, sign_in):
    sign_in(make_user("prof", role="instructor"))
    page = client.get("/instructor/exercises/mse_grad").text
    assert "<tr><td colspan=\"2\">No named mistake recognised yet.</td></tr>" in page
    assert "<tr><td colspan=\"2\">None yet.</td></tr>" in page.split('id="failures"')[1]
