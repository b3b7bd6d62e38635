"""`gradegrad login`, `submit`, `check`, `status` and `history` against a running service, as a student types them."""

from __future__ import annotations

import http.server
import json
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from gradegrad_client.command import ComposedGroup, main

WRONG = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y)\n"
RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"


@pytest.fixture
def as_ada(embedded_service, tmp_path):
    """Run gradegrad with ada signed in through the environment and a private config folder."""
    def run(*args):
        return embedded_service.run(*args, env={"XDG_CONFIG_HOME": str(tmp_path / "config"),
                                                "GRADEGRAD_SERVER": embedded_service.url,
                                                "GRADEGRAD_TOKEN": embedded_service.tokens["ada"]})
    return run


def test_login_keeps_a_working_token_readable_only_by_its_owner(embedded_service, tmp_path):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = embedded_service.run("login", "--server", embedded_service.url, "--username", "ada",
                                "--password", embedded_service.passwords["ada"], env=env)
    assert done.returncode == 0, done.stderr
    config = tmp_path / "config" / "gradegrad" / "config.json"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert json.loads(config.read_text())["token"].startswith("gg_")
    assert embedded_service.run("history", env=env).returncode == 0


def test_login_with_a_wrong_password_says_so(embedded_service, tmp_path):
    done = embedded_service.run("login", "--server", embedded_service.url, "--username", "ada", "--password", "no",
                                env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert done.returncode == 2 and "Wrong username or password" in done.stderr


def test_check_shows_expected_and_got_for_each_sample_and_spends_no_attempt(as_ada, tmp_path):
    before = json.loads(as_ada("history", "--json").stdout)
    (tmp_path / "wrong.py").write_text(WRONG)
    done = as_ada("check", "mse_grad", str(tmp_path / "wrong.py"))
    assert done.returncode == 1, done.stderr
    assert "mse_grad: NOT YET  1/2 public samples (a check: no attempt spent, not graded)" in done.stdout
    assert "expected dy_hat = [-0.333333, 0.0, 0.666667]" in done.stdout  # six significant digits
    assert "got      dy_hat = [-1.0, 0.0, 2.0]" in done.stdout
    (tmp_path / "right.py").write_text(RIGHT)
    done = as_ada("check", "mse_grad", str(tmp_path / "right.py"), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["passed"] is True and result["status"] == "graded"
    assert [sample["passed"] for sample in result["samples"]] == [True, True]
    assert json.loads(as_ada("history", "--json").stdout) == before


def test_submit_prints_the_report_and_exits_1_when_not_passed(as_ada, tmp_path):
    (tmp_path / "wrong.py").write_text(WRONG)
    done = as_ada("submit", "mse_grad", str(tmp_path / "wrong.py"))
    assert done.returncode == 1, done.stderr
    assert "NOT YET" in done.stdout and "1/n" in done.stdout


def test_submit_exits_0_when_passed_and_json_carries_the_id(as_ada, tmp_path):
    (tmp_path / "right.py").write_text(RIGHT)
    done = as_ada("submit", "mse_grad", str(tmp_path / "right.py"), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["passed"] is True and result["score"] == 1.0 and isinstance(result["id"], int)
    assert {"exercise", "cases", "error"} <= set(result)
    status = as_ada("status", str(result["id"]), "--json")
    assert json.loads(status.stdout)["status"] == "graded"
    assert str(result["id"]) in as_ada("history").stdout


def test_submit_without_signing_in_explains_what_to_do(embedded_service, tmp_path):
    (tmp_path / "right.py").write_text(RIGHT)
    done = embedded_service.run("submit", "mse_grad", str(tmp_path / "right.py"),
                                env={"XDG_CONFIG_HOME": str(tmp_path), "GRADEGRAD_TOKEN": "", "GRADEGRAD_SERVER": ""})
    assert done.returncode == 2 and "gradegrad login" in done.stderr


def test_the_client_imports_nothing_of_the_platform():
    code = ("import sys; import gradegrad_client.cli; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('flask', 'celery', 'numpy', 'grader', 'exercises', 'web', 'worker')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_logout_revokes_the_kept_token_and_forgets_it(embedded_service, tmp_path):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config")}
    assert embedded_service.run("login", "--server", embedded_service.url, "--username", "ada",
                                "--password", embedded_service.passwords["ada"], env=env).returncode == 0
    config = tmp_path / "config" / "gradegrad" / "config.json"
    token = json.loads(config.read_text())["token"]
    done = embedded_service.run("logout", env=env)
    assert done.returncode == 0 and "Signed out" in done.stdout, done.stderr
    assert not config.exists()
    stale = embedded_service.run("history", env={**env, "GRADEGRAD_SERVER": embedded_service.url,
                                                 "GRADEGRAD_TOKEN": token})
    assert stale.returncode == 2 and "revoked" in stale.stderr
    again = embedded_service.run("logout", env=env)
    assert again.returncode == 2 and "Not signed in" in again.stderr


def run_client(*args: str) -> tuple[int, str]:
    """The gradegrad command in this process, with the installed operator commands; its exit code and output."""
    done = CliRunner().invoke(main, list(args), prog_name="gradegrad")
    return done.exit_code, done.output


def test_login_refuses_an_address_without_its_scheme_before_asking_anything():
    assert run_client("login", "--server", "127.0.0.1:8765") == (2, (
        "Usage: gradegrad login [OPTIONS]\nTry 'gradegrad login --help' for help.\n\n"
        "Error: Invalid value for '--server': '127.0.0.1:8765' is not a web address: "
        "it starts with http:// or https://, as in http://127.0.0.1:8765\n"))


def test_a_server_that_refuses_the_connection_is_named_so():
    with socket.socket() as bound_but_not_listening:
        bound_but_not_listening.bind(("127.0.0.1", 0))
        port = bound_but_not_listening.getsockname()[1]
        done = run_client("login", "--server", f"http://127.0.0.1:{port}", "--username", "ada", "--password", "x")
    assert done == (2, f"Error: Cannot reach http://127.0.0.1:{port}: connection refused "
                       "(is the address right, and is the server running?)\n")


def test_a_server_name_that_does_not_resolve_is_named_so():
    done = run_client("login", "--server", "https://gradegrad.invalid", "--username", "ada", "--password", "x")
    assert done == (2, "Error: Cannot reach https://gradegrad.invalid: the name 'gradegrad.invalid' could not be "
                       "resolved (is the address spelled right, and are you online?)\n")


class Silent(http.server.BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def plain_http_port() -> Iterator[int]:
    """A port where an HTTP server answers without TLS."""
    server = http.server.HTTPServer(("127.0.0.1", 0), Silent)
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    yield server.server_port
    server.shutdown()
    thread.join()
    server.server_close()


def test_https_to_a_server_without_tls_says_the_handshake_failed(plain_http_port):
    server = f"https://127.0.0.1:{plain_http_port}"
    code, output = run_client("login", "--server", server, "--username", "ada", "--password", "x")
    assert code == 2
    assert output.startswith(f"Error: Cannot reach {server}: the TLS handshake failed (")
    assert output.endswith("): does the server serve https://, or should the address start with http://?\n")


def test_a_client_only_install_says_where_operator_commands_come_from():
    client_only = ComposedGroup(commands=main.commands, plugins="gradegrad.no-commands-installed")
    done = CliRunner().invoke(client_only, ["grade", "mse_grad", "answer.py"], prog_name="gradegrad")
    assert (done.exit_code, done.output.splitlines()[-1]) == (2, (
        "Error: No such command 'grade'. The operator commands (grade, serve, worker, db, create-user...) come with "
        "the GradeGrad platform, not with gradegrad-client; this client's commands are check, history, login, "
        "logout, status, submit."))
