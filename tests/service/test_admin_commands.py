"""`gradegrad create-user`, `reset-password`, `deactivate` and `import-roster`, as an administrator runs them."""

from __future__ import annotations

import subprocess
import sys

import pytest
import requests
from sqlalchemy import create_engine, text

GRADEGRAD = [sys.executable, "-m", "gradegrad_client"]


@pytest.fixture
def run(tmp_path, sqlite_template):
    import shutil

    shutil.copy(sqlite_template, tmp_path / "admin.sqlite3")
    env = {"GRADEGRAD_DATABASE_URL": f"sqlite:///{tmp_path / 'admin.sqlite3'}", "GRADEGRAD_SECRET_KEY": "x",
           "PATH": "/usr/bin:/bin"}
    return lambda *args: subprocess.run([*GRADEGRAD, *args], env=env, capture_output=True, text=True, timeout=120)


def test_create_user_with_token_prints_the_token_last(embedded_service):
    done = embedded_service.run("create-user", "hopper", "--role", "student", "--token")
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip().splitlines()[-1]
    answer = requests.get(f"{embedded_service.url}/api/v1/exercises", headers={"Authorization": f"Bearer {token}"},
                          timeout=10)
    assert answer.status_code == 200


def test_create_user_refuses_a_second_user_of_the_same_name(run):
    assert run("create-user", "ada", "--password", "pw").returncode == 0
    again = run("create-user", "ada", "--password", "pw")
    assert again.returncode == 1 and "already exists" in again.stderr
    assert run("create-user", "ada", "--if-missing").returncode == 0


def test_import_roster_adds_students_and_prints_new_passwords(run, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("username,role,password\nada,student,\ngrace,student,chosen\n")
    done = run("import-roster", str(roster))
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(",", 1) for line in done.stdout.strip().splitlines())
    assert lines["grace"] == "student,chosen" and len(lines["ada"].split(",")[1]) >= 8
    assert "already existed" in run("import-roster", str(roster)).stdout


def test_import_roster_names_the_bad_line(run, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("username,role\nada,student\ngrace,teacher\n")
    done = run("import-roster", str(roster))
    assert done.returncode == 1 and "line 3" in done.stderr and "role" in done.stderr


def users_of(tmp_path):
    """username -> (active, password hash) in the database the `run` fixture's commands use."""
    engine = create_engine(f"sqlite:///{tmp_path / 'admin.sqlite3'}")
    with engine.connect() as connection:
        rows = {name: (bool(active), hashed) for name, active, hashed in
                connection.execute(text("SELECT username, active, password_hash FROM users"))}
    engine.dispose()
    return rows


def test_reset_password_prints_a_new_password_that_replaces_the_old(run, tmp_path):
    from web.auth import hasher

    assert run("create-user", "ada", "--password", "old-pw").returncode == 0
    done = run("reset-password", "ada")
    assert done.returncode == 0, done.stderr
    prefix = "new password for ada: "
    assert done.stdout.startswith(prefix)
    password = done.stdout.strip().removeprefix(prefix)
    hashed = users_of(tmp_path)["ada"][1]
    assert hasher.verify(hashed, password) and len(password) == 12
    missing = run("reset-password", "nobody")
    assert (missing.returncode, missing.stderr) == (1, "Error: no user 'nobody'\n")


def test_deactivate_and_reactivate_a_user(run, tmp_path):
    assert run("create-user", "ada", "--password", "pw").returncode == 0
    done = run("deactivate", "ada")
    assert (done.returncode, done.stdout) == (0, "deactivated ada\n")
    assert users_of(tmp_path)["ada"][0] is False
    done = run("deactivate", "--reactivate", "ada")
    assert (done.returncode, done.stdout) == (0, "reactivated ada\n")
    assert users_of(tmp_path)["ada"][0] is True
    missing = run("deactivate", "nobody")
    assert (missing.returncode, missing.stderr) == (1, "Error: no user 'nobody'\n")
