"""docker-compose.yml's commands and health checks, run here without Docker against Redis and PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import requests
import yaml

from bench.stack import REQUEST_SECONDS

COMPOSE = Path(__file__).resolve().parents[2] / "docker-compose.yml"
RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def test_compose_wires_the_services_as_the_readme_says(compose):
    services = compose["services"]
    assert {"web", "worker", "regrade-worker", "beat", "migrate", "redis", "postgres"} <= set(services)
    assert compose["networks"]["internal"]["internal"] is True
    assert "ports" not in services["redis"] and "ports" not in services["postgres"]
    assert "container_name" not in services["worker"]  # so that --scale worker=N works
    for name in ("web", "worker", "regrade-worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert all("healthcheck" in services[name] for name in ("web", "worker", "redis", "postgres"))
    # Every process has the deployment's case key, which compose refuses to start without, and the same course.
    for name in ("web", "worker", "regrade-worker", "beat", "migrate"):
        environment = services[name]["environment"]
        assert environment["GRADEGRAD_CASE_KEY"].startswith("${GRADEGRAD_CASE_KEY:?")
        assert environment["GRADEGRAD_COURSE_DIR"] == "${GRADEGRAD_COURSE_DIR:+/course}"
        assert services[name]["volumes"] == ["${GRADEGRAD_COURSE_DIR:-./examples}:/course:ro"]


def shell_command(test: list[str]) -> list[str]:
    """A compose health check as argv; `$$` is compose's escape for a literal `$`."""
    if test[0] == "CMD-SHELL":
        return ["sh", "-c", test[1].replace("$$", "$")]
    return test[1:]


def test_the_compose_commands_run_a_working_service(compose, tmp_path, new_postgres_database, redis_settings):
    postgres_url = new_postgres_database()
    services = compose["services"]
    port = free_port()
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
           "GRADEGRAD_DATABASE_URL": postgres_url, "GRADEGRAD_BROKER_URL": redis_settings["url"],
           "GRADEGRAD_SECRET_KEY": "compose-test", "GRADEGRAD_BEAT_SCHEDULE": str(tmp_path / "beat"),
           "GRADEGRAD_CELERY__broker_transport_options": json.dumps({"global_keyprefix": redis_settings["prefix"]}),
           "HOSTNAME": socket.gethostname()}
    subprocess.run(services["migrate"]["command"], env=env, check=True, capture_output=True, timeout=120)
    token = subprocess.run(["gradegrad", "create-user", "compose-student", "--token"], env=env, check=True,
                           capture_output=True, text=True, timeout=60).stdout.strip().splitlines()[-1]
    web = [part.replace("0.0.0.0:8000", f"127.0.0.1:{port}") for part in services["web"]["command"]]
    commands = {"web": web, "worker": services["worker"]["command"],
                "regrade-worker": services["regrade-worker"]["command"], "beat": services["beat"]["command"]}
    logs = {name: (tmp_path / f"{name}.log").open("wb") for name in commands}
    processes = [subprocess.Popen(argv, env=env, stdout=logs[name], stderr=subprocess.STDOUT)
                 for name, argv in commands.items()]
    try:
        web_check = [part.replace("8000", str(port)) for part in shell_command(services["web"]["healthcheck"]["test"])]
        worker_check = shell_command(services["worker"]["healthcheck"]["test"])
        wait_for(lambda: subprocess.run(web_check, env=env, capture_output=True).returncode == 0, "web health check")
        wait_for(lambda: subprocess.run(worker_check, env=env, capture_output=True).returncode == 0,
                 "worker health check")
        headers = {"Authorization": f"Bearer {token}"}
        created = requests.post(f"http://127.0.0.1:{port}/api/v1/submissions", headers=headers,
                                json={"exercise": "mse_grad", "source": RIGHT}, timeout=REQUEST_SECONDS).json()
        url = f"http://127.0.0.1:{port}/api/v1/submissions/{created['id']}"
        wait_for(lambda: requests.get(url, headers=headers, timeout=REQUEST_SECONDS).json()["status"] == "graded",
                 "the grade")
        assert requests.get(url, headers=headers, timeout=REQUEST_SECONDS).json()["passed"] is True
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs.values():
            log.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, what: str, timeout: float = 180) -> None:
    """Until ``condition()`` holds; a request that fails or is slow on a busy machine only means "not yet"."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_image_copies_and_installs_every_package_of_the_project():
    """Docker does not run here: the Dockerfile is checked by reading, against pyproject.toml's packages."""
    root = COMPOSE.parent
    found = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    packages = {pattern.rstrip("*") for pattern in found["include"]}
    lines = (root / "Dockerfile").read_text().splitlines()
    copied = {line.split()[1] for line in lines if line.startswith("COPY ")}
    assert packages | {"client"} <= copied, f"the image lacks {sorted(packages - copied)}"
    # The platform depends on the student's client, which is not on PyPI yet: the image installs both.
    assert any(line.startswith("RUN pip install ./client . ") for line in lines)


def test_the_image_builds_the_editor_from_the_locked_npm_packages_and_serves_it():
    """The bundle and the math font are not committed: the image builds them in a node stage and copies them
    where the app serves them."""
    lines = (COMPOSE.parent / "Dockerfile").read_text().splitlines()
    assert "COPY web/frontend/package.json web/frontend/package-lock.json ./" in lines
    assert lines.index("RUN npm ci --no-audit --no-fund") < lines.index("RUN npm run build")
    assert "COPY --from=editor /build/web/static/editor ./web/static/editor" in lines
    assert "COPY --from=editor /build/web/static/fonts ./web/static/fonts" in lines
