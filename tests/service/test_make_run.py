"""`make run`: the runtime installed alone, and the address with the demo password printed once everything answers,
after the workers' banners rather than above them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from bench.stack import GRADEGRAD, Processes, answers, free_port

ROOT = Path(__file__).resolve().parents[2]


def plan(target: str, venv: Path) -> str:
    """The commands `make TARGET` would run on a fresh clone (a virtualenv that does not exist yet)."""
    return subprocess.run(["make", "-n", target, f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout


def test_make_run_installs_the_runtime_and_make_test_the_test_tools(tmp_path):
    venv = tmp_path / ".venv"
    run = plan("run", venv)
    assert f"{venv}/bin/python -m pip install --quiet -e ./client -e .\n" in run
    assert "[dev]" not in run
    assert f"{venv}/bin/python -m pip install --quiet -e ./client -e '.[dev]'\n" in plan("test", venv)
    assert (f"{venv}/bin/gradegrad serve --host 127.0.0.1 --port 8000 \\\n"
            "\t--welcome \"Sign in as 'student' or 'instructor', password 'gradegrad-demo'\"\n") in run


def test_serve_prints_the_address_below_the_workers_banners_once_web_and_workers_answer(tmp_path, sqlite_template):
    shutil.copy(sqlite_template, tmp_path / "app.sqlite3")
    env = {**os.environ, "GRADEGRAD_SECRET_KEY": "test-secret", "GRADEGRAD_INSTANCE_PATH": str(tmp_path / "instance"),
           "GRADEGRAD_DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite3'}",
           "GRADEGRAD_BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}",
           "GRADEGRAD_BEAT_SCHEDULE": str(tmp_path / "beat")}
    processes, port = Processes(tmp_path, env), free_port()
    serve = processes.spawn("serve", [*GRADEGRAD, "serve", "--port", str(port), "--welcome", "Password: 'pw'"])
    try:
        processes.wait_until(lambda: "GradeGrad is ready on" in processes.log_text(serve), "gradegrad serve")
        log = processes.log_text(serve)
        banner = log.index("\nGradeGrad is ready on")
        assert log[:banner].count(" ready.") == 2, "the address came before both workers were ready"
        assert log[banner:].startswith(f"\nGradeGrad is ready on http://127.0.0.1:{port}/ (Ctrl-C stops it)\n"
                                       "Password: 'pw'\n")
        assert answers(f"http://127.0.0.1:{port}/login")
    finally:
        processes.stop_all()
