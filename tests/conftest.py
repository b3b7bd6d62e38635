"""The test tiers: `make test` runs every test; `make test-fast` (pytest -m "not slow") only the fast tier.

The fast tier is the grading core (tests/grader), the exercises (tests/exercises) and the web views
on SQLite through Flask's test client. A test is marked ``slow``, with the reason, when it starts a
served stack, a process, PostgreSQL, Redis or a browser, fuzzes the API, sweeps many seeds, or
belongs to the sandbox suite. Most are told by the fixtures they use, so no test module has to say
it; a new fixture of that kind, or a test that starts a process in its own body, belongs in the
tables below.
Passwords hashed in the test process use Argon2's cheapest parameters (see the fixture at the end).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

pytest_plugins = ["pytester"]

SERVED = "starts `gradegrad serve`: gunicorn and two Celery workers"

SLOW_FIXTURES = {
    "service": SERVED,
    "embedded_service": SERVED,
    "redis_postgres_service": SERVED,
    "course_service": SERVED,
    "client_venv": "installs gradegrad-client into a fresh virtualenv from the package index",
    "new_postgres_database": "uses PostgreSQL",
    "redis_settings": "uses Redis",
    "private_redis": "starts a redis-server",
    "browser": "drives Chromium",
    "pytester": "runs pytest on a suite of its own",
}

# Fixtures that reach PostgreSQL through request.getfixturevalue, out of sight of the fixture names.
SLOW_PARAMS = {
    ("database_url", "postgresql"): "uses PostgreSQL",
}

# A folder ("…/"), a module, or one test (module::name, all its parameters).
SLOW_NODES = {
    "tests/sandbox/": "runs hostile programs into the sandbox's limits, then scans every host process",
    "tests/exercises/test_every_seed.py": "sweeps every mistake of the banks over 20 to 50 seeds",
    "tests/grader/test_cli.py": "runs the gradegrad command as a process",
    "tests/service/test_admin_commands.py": "runs gradegrad commands as processes",
    "tests/service/test_api_fuzz.py": "sends up to 15 generated requests to every operation of the API",
    "tests/service/test_stack.py": "starts processes and a gradegrad command",
    "tests/service/test_make_run.py": "runs make and starts `gradegrad serve`",
    "tests/service/test_cli_client.py::test_the_client_imports_nothing_of_the_platform":
        "starts a Python process",
    "tests/service/test_migrations.py::test_db_upgrade_creates_the_embedded_database_and_publishes_the_catalogue":
        "runs `gradegrad db upgrade` as a process",
}


def slow_reason(item: pytest.Item) -> str | None:
    """Why ``item`` is in the slow tier, or None if it is in the fast one."""
    fixtures = getattr(item, "fixturenames", ())
    for fixture, reason in SLOW_FIXTURES.items():
        if fixture in fixtures:
            return reason
    params = getattr(getattr(item, "callspec", None), "params", {})
    for (name, value), reason in SLOW_PARAMS.items():
        if params.get(name) == value:
            return reason
    test = item.nodeid.split("[", 1)[0]
    module = test.split("::", 1)[0]
    for node, reason in SLOW_NODES.items():
        if node in (test, module) or (node.endswith("/") and module.startswith(node)):
            return reason
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark before `-m` selects (tryfirst): the selection reads the marks added here."""
    for item in items:
        if (reason := slow_reason(item)) is not None:
            item.add_marker(pytest.mark.slow(reason=reason))


@pytest.fixture(scope="session", autouse=True)
def cheapest_password_hashes() -> Iterator[None]:
    """Argon2 at its cheapest parameters for the passwords hashed in this process.

    Argon2's cost (about 0.1 s a hash on an idle machine, near a second on a busy one) is its point in
    production, not what a test checks, and nearly every web test hashes or verifies a password: left
    as it is, it is most of the web tests' time. A hash carries its parameters, so the served stacks,
    processes of their own that hash at the real cost, verify these all the same.
    """
    auth = sys.modules.get("web.auth")  # a run that never imported the web hashes no password
    if auth is None:
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(auth, "hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        yield

