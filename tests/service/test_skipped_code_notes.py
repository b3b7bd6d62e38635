"""The notes on what of an uploaded notebook was not run reach its student on every route, and are kept for regrades.

They are made when the upload is read, before grading, so they are on the submission from the moment it is queued.
"""

from __future__ import annotations

import io
import json

from markupsafe import escape

from exercises import get_exercise
from grader.pipeline import grade
from grader.sandbox.imports import available_sentence
from tests.service.conftest import PASSWORD
from web.models import Submission
from worker.grading import record_report

HOMEWORK = json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
    {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source}
    for source in ("import numpy as np\nimport matplotlib.pyplot as plt",
                   "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)",
                   "plt.plot(mse_grad(np.ones(3), np.zeros(3)))",
                   "for _ in range(10**6):\n    mse_grad(np.ones(3), np.zeros(3))")]}).encode()
NOTES = ["cell 1, line 2: skipped, `import matplotlib.pyplot` is not available at grading time",
         "cell 3: skipped, it calls plt.plot",
         "cell 4: skipped, it is a loop (it calls mse_grad)"]


def signed_in(app, user):
    client = app.test_client()
    answer = client.post("/login", data={"username": user.username, "password": PASSWORD})
    assert answer.status_code == 302, answer.text
    return client


def test_a_student_reads_what_of_the_notebook_was_not_run_in_the_api_and_on_the_result_page(
        app, session, make_user, token_for, published):
    published("mse_grad")
    ada = make_user("ada")
    sent = app.test_client().post("/api/v1/submissions", headers=token_for(ada),
                                  data={"exercise": "mse_grad", "file": (io.BytesIO(HOMEWORK), "hw.ipynb")})
    assert sent.status_code == 202 and sent.json["notes"] == NOTES
    submission = session.get(Submission, sent.json["id"])
    assert submission is not None and submission.notes == NOTES
    report = grade(submission.source, get_exercise("mse_grad"), submission.seed)  # as the worker grades it
    assert report.passed
    record_report(session, submission.id, report.to_dict())
    session.commit()

    answer = app.test_client().get(f"/api/v1/submissions/{submission.id}", headers=token_for(ada))
    assert answer.json["status"] == "graded" and answer.json["passed"] and answer.json["notes"] == NOTES
    page = signed_in(app, ada).get(f"/submissions/{submission.id}").text
    assert "Not run when graded" in page
    assert all(f'<li class="note">{escape(note)}</li>' in page for note in NOTES)


def test_the_exercise_page_says_what_a_submission_may_import(app, make_user, published):
    published("mse_grad")
    page = signed_in(app, make_user("ada")).get("/exercises/mse_grad").text
    assert f'<p class="meta" id="available">{escape(available_sentence())}</p>' in page


def test_a_nul_a_notebook_escapes_into_a_skipped_cell_is_stored_and_shown_as_ufffd(
        app, session, make_user, token_for, published):
    published("mse_grad")
    cells = ["def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)", "%time x = '\0'", "y = '\0'"]
    data = json.dumps({"nbformat": 4, "cells": [{"cell_type": "code", "source": cell} for cell in cells]}).encode()
    sent = app.test_client().post("/api/v1/submissions", headers=token_for(make_user("ada")),
                                  data={"exercise": "mse_grad", "file": (io.BytesIO(data), "hw.ipynb")})
    assert sent.status_code == 202 and sent.json["notes"] == [
        "cell 2, line 1: skipped, `%time x = '\ufffd'` is an IPython command, not Python",
        "cell 3: SyntaxError: source code string cannot contain null bytes; the cell is skipped"]
    assert session.get(Submission, sent.json["id"]).source.endswith("# cell 2\n# %time x = '\ufffd'\n\n"
                                                                     "# cell 3\n# y = '\ufffd'\n")
