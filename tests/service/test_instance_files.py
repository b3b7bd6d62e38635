"""The instance folder holds every password hash and submission: its owner alone may read any of it."""

from __future__ import annotations

import multiprocessing
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from web import create_app, instance_secret
from web.auth import create_user
from web.db import session_factory, session_scope
from web.migrate import upgrade

GRADEGRAD = [sys.executable, "-m", "gradegrad_client"]


def modes(folder: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    found.update({str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode) for p in folder.rglob("*")})
    return found


def test_the_app_creates_its_folder_databases_wal_and_secret_for_its_owner_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("GRADEGRAD_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("GRADEGRAD_DATABASE_URL", raising=False)
    monkeypatch.delenv("GRADEGRAD_BROKER_URL", raising=False)
    old = os.umask(0o022)  # the usual umask, whatever the test runner's is
    try:
        app = create_app()
        upgrade(app.config["DATABASE_URL"])
        with app.app_context(), session_scope(session_factory(app)) as session:
            create_user(session, "ada", "student", "secret password")
        with app.extensions["db_engine"].connect() as connection:  # the WAL stays while a connection is open
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            found = modes(tmp_path / "instance")
        app.extensions["db_engine"].dispose()
    finally:
        os.umask(old)
    assert {"gradegrad.sqlite3", "gradegrad.sqlite3-wal", "gradegrad.sqlite3-shm", "broker.sqlite3",
            "secret_key"} <= set(found)
    assert found == {".": 0o700, **{name: 0o600 for name in found if name != "."}}


def test_an_older_instance_folder_is_made_private_when_the_app_starts(tmp_path, monkeypatch):
    folder = tmp_path / "instance"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    for name in ("gradegrad.sqlite3", "broker.sqlite3", "secret_key"):
        (folder / name).write_text("")
        (folder / name).chmod(0o644)
    (folder / "secret_key").write_text("kept")
    monkeypatch.setenv("GRADEGRAD_INSTANCE_PATH", str(folder))
    monkeypatch.delenv("GRADEGRAD_SECRET_KEY", raising=False)
    app = create_app()
    assert app.config["SECRET_KEY"] == "kept"
    assert modes(folder) == {".": 0o700, "gradegrad.sqlite3": 0o600, "broker.sqlite3": 0o600, "secret_key": 0o600,
                             "case_key": 0o600}
    app.extensions["db_engine"].dispose()


def test_the_sweep_scheduler_keeps_its_schedule_private(tmp_path):
    folder = tmp_path / "instance"
    env = {**os.environ, "GRADEGRAD_INSTANCE_PATH": str(folder), "GRADEGRAD_SECRET_KEY": "x"}
    for name in ("GRADEGRAD_DATABASE_URL", "GRADEGRAD_BROKER_URL", "GRADEGRAD_BEAT_SCHEDULE"):
        env.pop(name, None)
    beat = subprocess.Popen([*GRADEGRAD, "beat"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=lambda: os.umask(0o022))
    try:
        deadline = time.monotonic() + 90
        while not list(folder.glob("celerybeat-schedule*")) and time.monotonic() < deadline:
            assert beat.poll() is None, "gradegrad beat exited"
            time.sleep(0.2)
    finally:
        beat.send_signal(signal.SIGTERM)
        beat.wait(timeout=60)
    found = modes(folder)
    assert any(name.startswith("celerybeat-schedule") for name in found), found
    assert found == {".": 0o700, **{name: 0o600 for name in found if name != "."}}


def read_secret_when_released(barrier, path: Path, results) -> None:
    barrier.wait()
    results.put(instance_secret(path))


def test_processes_starting_together_all_read_the_same_generated_secret(tmp_path):
    """`gradegrad serve` starts the web and its workers at once on a new instance folder."""
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(6), context.Queue()
    processes = [context.Process(target=read_secret_when_released, args=(barrier, tmp_path / "case_key", results))
                 for _ in range(6)]
    for process in processes:
        process.start()
    secrets = {results.get(timeout=60) for _ in processes}
    for process in processes:
        process.join(timeout=60)
    assert len(secrets) == 1 and len(secrets.pop()) == 64
    assert sorted(path.name for path in tmp_path.iterdir()) == ["case_key"]
