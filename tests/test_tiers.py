"""What tests/conftest.py promises: the tiers, on a small suite of their own, and cheap password hashes."""

from pathlib import Path

import pytest
from argon2 import PasswordHasher

from web import auth

ROOT = Path(__file__).resolve().parents[1]

SERVICE_FIXTURES = """
import pytest

@pytest.fixture
def new_postgres_database():
    return "postgresql://"

@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request):
    return request.param

@pytest.fixture
def app(database_url):
    return database_url

@pytest.fixture
def browser():
    return "chromium"

@pytest.fixture
def embedded_service():
    return "served"

@pytest.fixture(params=["embedded", "redis+postgresql"])
def service(request):
    return request.param
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A suite laid out as the real one, with the real configuration and tiers."""
    pytester.makepyprojecttoml((ROOT / "pyproject.toml").read_text())
    pytester.makefile(".py", **{"tests/conftest": (ROOT / "tests" / "conftest.py").read_text()})
    pytester.makefile(".py", **{
        "tests/service/conftest": SERVICE_FIXTURES,
        "tests/service/test_pages": """
            def test_page(app):
                pass

            def test_headers():
                pass

            def test_database(new_postgres_database, request):
                assert request.node.get_closest_marker("slow").kwargs == {"reason": "uses PostgreSQL"}

            def test_browser(browser, request):
                assert request.node.get_closest_marker("slow").kwargs == {"reason": "drives Chromium"}

            def test_end_to_end(service, request):
                assert "gradegrad serve" in request.node.get_closest_marker("slow").kwargs["reason"]
        """,
        "tests/service/test_migrations": """
            def test_db_upgrade_creates_the_embedded_database_and_publishes_the_catalogue(request):
                assert "process" in request.node.get_closest_marker("slow").kwargs["reason"]

            def test_the_migrations_go_down_and_up_again(database_url):
                pass
        """,
        "tests/sandbox/test_walls": """
            def test_wall(request):
                assert "sandbox" in request.node.get_closest_marker("slow").kwargs["reason"]
        """,
        "tests/grader/test_compare": """
            def test_compare():
                pass
        """,
    })
    return pytester


def test_the_fast_tier_keeps_the_core_and_the_views_on_sqlite(suite):
    result = suite.runpytest_subprocess("-m", "not slow", "-v", "--strict-markers", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, deselected=8)
    result.stdout.fnmatch_lines_random([
        "tests/grader/test_compare.py::test_compare PASSED*",
        "tests/service/test_pages.py::test_page?sqlite? PASSED*",
        "tests/service/test_pages.py::test_headers PASSED*",
        "tests/service/test_migrations.py::test_the_migrations_go_down_and_up_again?sqlite? PASSED*",
    ])


def test_the_slow_tier_has_the_rest_each_with_its_reason(suite):
    result = suite.runpytest_subprocess("-m", "slow", "-v", "--strict-markers", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=8, deselected=4)
    result.stdout.fnmatch_lines_random([
        "tests/service/test_pages.py::test_page?postgresql? PASSED*",
        "tests/service/test_pages.py::test_database PASSED*",
        "tests/service/test_pages.py::test_browser PASSED*",
        "tests/service/test_pages.py::test_end_to_end?embedded? PASSED*",
        "tests/service/test_pages.py::test_end_to_end?redis+postgresql? PASSED*",
        "tests/service/test_migrations.py::test_db_upgrade_creates_the_embedded_database_and_publishes_the_catalogue"
        " PASSED*",
        "tests/service/test_migrations.py::test_the_migrations_go_down_and_up_again?postgresql? PASSED*",
        "tests/sandbox/test_walls.py::test_wall PASSED*",
    ])


def test_passwords_hashed_in_the_test_process_are_argon2_at_its_cheapest_and_verify_at_the_real_cost():
    hashed = auth.hasher.hash("correct horse battery")
    assert hashed.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert PasswordHasher().verify(hashed, "correct horse battery")
