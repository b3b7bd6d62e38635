"""A notebook the parser chokes on, or a malformed one, is refused with 400 and its reason: nothing stored,
no attempt charged, and no other student's submission held up while it is read.

The deadlines are generous (a busy 2-core machine): a refused notebook costs about a second of CPU.
"""

from __future__ import annotations

import io
import json
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest
from markupsafe import escape
from sqlalchemy import func, select

import grader.limited
from grader.limited import ChildLimits
from web.models import Submission

RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"
TOO_COMPLEX = "the source is too complex to parse"
NOT_READABLE = "this file is not a readable Jupyter notebook"
BOMB_DEADLINE = 10.0  # seconds for the bomb's answer
OTHER_DEADLINE = 5.0  # seconds for another student's submission while a bomb is read


def notebook(*sources: object) -> bytes:
    cells = [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": s, "outputs": [], "execution_count": None}
             for i, s in enumerate(sources)]
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}).encode()


FSTRING_BOMB = notebook(RIGHT, 'f"' + "{a}" * 80_000 + '"')  # 240 KB, under the 256 KiB upload limit
REFUSED = [
    ("f-string with 80000 fields", FSTRING_BOMB, f"{TOO_COMPLEX}: it needs more than 1 s of CPU time"),
    ("100000 additions", notebook(RIGHT, "1+" * 100_000 + "1"),
     f"{TOO_COMPLEX}: cell 2 nests too deeply "
     "(RecursionError: maximum recursion depth exceeded during ast construction)"),
    ("100000 unary minuses", notebook(RIGHT, "-" * 100_000 + "1"),
     f"{TOO_COMPLEX}: cell 2 nests too deeply or needs too much memory (MemoryError)"),
    ("a code cell without source", json.dumps({"nbformat": 4, "cells": [{"cell_type": "code"}]}).encode(),
     f"{NOT_READABLE} (code cell 1 has no 'source')"),
    ("source is a number", notebook(RIGHT, 5), f"{NOT_READABLE} (code cell 2 has a 'source' that is not text)"),
    ("a cell is not an object", json.dumps({"nbformat": 4, "cells": [RIGHT]}).encode(),
     f"{NOT_READABLE} (cell 1 is not an object)"),
]


def stored(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Submission))


def upload(client, headers, data, filename="hw.ipynb"):
    return client.post("/api/v1/submissions", headers=headers,
                       data={"exercise": "mse_grad", "file": (io.BytesIO(data), filename)})


def post_right(client, headers):
    return client.post("/api/v1/submissions", json={"exercise": "mse_grad", "source": RIGHT}, headers=headers)


@pytest.mark.parametrize(("data", "reason"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_the_api_refuses_the_notebook_with_400_and_charges_no_attempt(client, session, make_user, token_for,
                                                                      published, data, reason):
    published("mse_grad").max_attempts = 1
    session.commit()
    headers = token_for(make_user())
    started = time.monotonic()
    answer = upload(client, headers, data)
    assert time.monotonic() - started < BOMB_DEADLINE
    assert answer.status_code == 400 and answer.json == {"error": f"Cannot grade hw.ipynb: {reason}"}
    assert stored(session) == 0
    assert post_right(client, headers).status_code == 202  # the one attempt is still there


@pytest.mark.parametrize(("data", "reason"), [REFUSED[0][1:], REFUSED[3][1:]], ids=[REFUSED[0][0], REFUSED[3][0]])
def test_the_submit_form_refuses_the_notebook_with_400_and_its_reason(client, session, make_user, sign_in,
                                                                      data, reason):
    sign_in(make_user())
    answer = client.post("/exercises/mse_grad", data={"file": (io.BytesIO(data), "hw.ipynb")})
    assert answer.status_code == 400 and str(escape(f"Cannot grade hw.ipynb: {reason}")) in answer.text
    assert stored(session) == 0


def test_a_py_file_the_parser_chokes_on_is_stored_as_it_is_for_the_sandbox(client, session, make_user, token_for):
    """Its analysis gives up at the limited child's CPU limit; the sandbox compiles it under its own limits."""
    bomb = (RIGHT + 'f"' + "{a}" * 80_000 + '"\n').encode()
    started = time.monotonic()
    answer = upload(client, token_for(make_user()), bomb, "bomb.py")
    assert time.monotonic() - started < OTHER_DEADLINE
    assert answer.status_code == 202 and answer.json["status"] == "queued" and answer.json["notes"] == []
    assert stored(session) == 1 and session.scalar(select(Submission.source)) == bomb.decode()


def test_another_students_submission_goes_through_while_a_bomb_is_read(app, session, make_user, token_for, published):
    """On SQLite a write locks the whole database: the bomb must be read before any lock is taken."""
    published("mse_grad")  # the catalogue is published before two requests could both publish it
    app.config["MAX_IN_FLIGHT"] = 25  # no worker grades here: ada's submissions all stay queued
    mallory, ada = token_for(make_user("mallory")), token_for(make_user("ada"))

    def bomb() -> tuple[int, object, float]:
        started = time.monotonic()
        answer = upload(app.test_client(), mallory, FSTRING_BOMB)
        return answer.status_code, answer.json, time.monotonic() - started

    client, latencies = app.test_client(), []
    with ThreadPoolExecutor(1) as pool:
        reading = pool.submit(bomb)
        while not reading.done() and len(latencies) < 20:  # under the hourly limit of 30
            started = time.monotonic()
            assert post_right(client, ada).status_code == 202
            latencies.append(time.monotonic() - started)
            time.sleep(0.05)
        status, body, took = reading.result(timeout=120)
    assert status == 400
    assert body == {"error": f"Cannot grade hw.ipynb: {TOO_COMPLEX}: it needs more than 1 s of CPU time"}
    assert took < BOMB_DEADLINE
    assert latencies and max(latencies) < OTHER_DEADLINE, latencies
    assert stored(session) == len(latencies)  # ada's, and nothing of mallory's


def test_no_write_lock_is_held_while_the_upload_is_read(app, database_url, session, make_user, token_for, published,
                                                        monkeypatch):
    """On SQLite a write locks the whole database: while the bomb is read, a write must be possible at any moment."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL locks only the submitting student's row")
    monkeypatch.setattr(grader.limited, "PARSE_LIMITS", ChildLimits(cpu_seconds=3, wall_seconds=60))
    published("mse_grad")
    mallory = token_for(make_user("mallory"))
    probes = 0
    with ThreadPoolExecutor(1) as pool:
        reading = pool.submit(lambda: upload(app.test_client(), mallory, FSTRING_BOMB))
        while not reading.done():
            # A write waits up to 1 s: the request's own short writes (the token's last use) may hold the lock
            # for a moment on a busy machine, a lock held across the read (3 s of CPU) would not let go in time.
            with closing(sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=1)) as probe:
                probe.execute("BEGIN IMMEDIATE")  # raises "database is locked" if a writer holds the lock
                probe.rollback()
            probes += 1
            time.sleep(0.1)
        answer = reading.result(timeout=120)
    assert probes >= 5  # the probes ran during the read (3 s of CPU)
    assert answer.status_code == 400 and answer.json == {
        "error": f"Cannot grade hw.ipynb: {TOO_COMPLEX}: it needs more than 3 s of CPU time"}
    assert stored(session) == 0


def test_the_running_service_answers_bombs_and_another_student_promptly(service):
    """gunicorn's workers each serve several requests: two bombs must not hold up grace's submission."""
    before = len(service.api("GET", "/submissions", "ada").json())

    def bomb() -> tuple[int, object, float]:
        started = time.monotonic()
        answer = service.api("POST", "/submissions", "ada", data={"exercise": "mse_grad"},
                             files={"file": ("hw.ipynb", FSTRING_BOMB)})
        return answer.status_code, answer.json(), time.monotonic() - started

    latencies = []
    with ThreadPoolExecutor(2) as pool:
        bombs = [pool.submit(bomb) for _ in range(2)]
        while not all(b.done() for b in bombs) and len(latencies) < 10:  # the service outlives this test
            started = time.monotonic()
            answer = service.api("POST", "/submissions", "grace", json={"exercise": "mse_grad", "source": RIGHT})
            assert answer.status_code == 202, answer.text
            latencies.append(time.monotonic() - started)
            time.sleep(0.1)
        answers = [b.result(timeout=120) for b in bombs]
    expected = {"error": f"Cannot grade hw.ipynb: {TOO_COMPLEX}: it needs more than 1 s of CPU time"}
    assert [(status, body) for status, body, _ in answers] == [(400, expected)] * 2
    assert max(took for _, _, took in answers) < BOMB_DEADLINE
    assert latencies and max(latencies) < OTHER_DEADLINE, latencies
    assert len(service.api("GET", "/submissions", "ada").json()) == before
