"""The command-line client of a GradeGrad server: login, submit, check, status, history (HTTP only, no Flask)."""

from __future__ import annotations

import json
import os
import socket
import ssl
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
import requests
from rich.console import Console
from rich.table import Table

from gradegrad_client.display import visible
from gradegrad_client.render import plain, render_check, render_report
from gradegrad_client.strict_json import strict_dumps

DONE = ("graded", "error")
SUBMISSIONS, CHECKS = "submissions", "checks"  # the API's collections a command waits on
TIMEOUT = 30  # seconds for one API call


def poll_delays(first: float = 0.1, growth: float = 1.5, longest: float = 1.0) -> Iterator[float]:
    """Seconds to wait before each look at a submission: soon at first, since most gradings take
    tens of milliseconds, then less and less often, so a long queue is not slowed by its own polling."""
    delay = first
    while True:
        yield delay
        delay = min(longest, delay * growth)


class ServiceError(click.ClickException):
    """The server refused or could not be reached; exit status 2, apart from 1 for 'not passed'.

    status: the HTTP status when the server answered.
    """

    exit_code = 2

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def config_path() -> Path:
    return Path(click.get_app_dir("gradegrad")) / "config.json"


def load_config() -> dict[str, str]:
    """The server and token: from GRADEGRAD_SERVER / GRADEGRAD_TOKEN, else from ``gradegrad login``."""
    stored = json.loads(config_path().read_text()) if config_path().exists() else {}
    config = {"server": os.environ.get("GRADEGRAD_SERVER") or stored.get("server", ""),
              "token": os.environ.get("GRADEGRAD_TOKEN") or stored.get("token", "")}
    if not config["server"] or not config["token"]:
        raise ServiceError("Not signed in: run `gradegrad login --server URL` first")
    return config


def save_config(server: str, token: str) -> Path:
    """Keep the token where only its owner can read it (mode 0600)."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        json.dump({"server": server, "token": token}, out)
    path.chmod(0o600)
    return path


def call(method: str, path: str, config: dict[str, str] | None = None, **kwargs: Any) -> Any:
    """One API call; a refusal or an unreachable server becomes a clear ServiceError."""
    config = config or load_config()
    headers = {"Authorization": f"Bearer {config['token']}"} if config.get("token") else {}
    url = config["server"].rstrip("/") + "/api/v1" + path
    try:
        answer = requests.request(method, url, headers=headers, timeout=TIMEOUT, **kwargs)
    except requests.RequestException as exc:
        raise ServiceError(f"Cannot reach {config['server']}: {why_unreachable(config['server'], exc)}") from None
    if answer.status_code == 204:
        return None
    try:
        body = answer.json()
    except ValueError:
        raise ServiceError(f"{url} answered {answer.status_code} without JSON: is it a GradeGrad server?",
                           answer.status_code) from None
    if answer.status_code >= 400:
        raise ServiceError(f"{body.get('error', answer.reason)} (HTTP {answer.status_code})", answer.status_code)
    return body


def why_unreachable(server: str, error: requests.RequestException) -> str:
    """What went wrong, in a student's words, from the socket or TLS error under requests' and urllib3's."""
    causes = cause_chain(error)
    tls = next((cause for cause in causes if isinstance(cause, ssl.SSLError)), None)
    if isinstance(error, requests.exceptions.MissingSchema | requests.exceptions.InvalidSchema
                  | requests.exceptions.InvalidURL):
        return not_a_web_address(server)
    if isinstance(tls, ssl.SSLCertVerificationError):
        return f"its TLS certificate could not be verified ({tls.verify_message})"
    if tls is not None:
        return (f"the TLS handshake failed ({tls.reason or tls}): does the server serve https://, "
                "or should the address start with http://?")
    if isinstance(error, requests.ConnectTimeout):
        return f"no connection within {TIMEOUT} s (is the address right, and is the network up?)"
    if isinstance(error, requests.ReadTimeout):
        return f"the server did not answer within {TIMEOUT} s (it may be overloaded: try again later)"
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
        return "connection refused (is the address right, and is the server running?)"
    if any(isinstance(cause, socket.gaierror) for cause in causes):
        return (f"the name '{urlsplit(server).hostname}' could not be resolved "
                "(is the address spelled right, and are you online?)")
    return str(causes[-1])


def cause_chain(error: BaseException) -> list[BaseException]:
    """``error``, then what caused it, and so on: requests wraps urllib3's error, which wraps the socket's."""
    chain = [error]
    while cause := next((candidate for candidate in (getattr(chain[-1], "reason", None), *chain[-1].args,
                                                     chain[-1].__cause__, chain[-1].__context__)
                         if isinstance(candidate, BaseException) and all(candidate is not seen for seen in chain)),
                        None):
        chain.append(cause)
    return chain


def not_a_web_address(server: str) -> str:
    return f"'{server}' is not a web address: it starts with http:// or https://, as in http://{server}"


def web_address(ctx: click.Context, param: click.Parameter, server: str) -> str:
    """Refuse a server address without its scheme before anything is asked or sent."""
    if not server.lower().startswith(("http://", "https://")):
        raise click.BadParameter(not_a_web_address(server))
    return server


@click.command("login")
@click.option("--server", required=True, callback=web_address,
              help="The GradeGrad server's address, e.g. http://127.0.0.1:8000")
@click.option("--username", prompt=True)
@click.option("--password", prompt=True, hide_input=True)
def login(server: str, username: str, password: str) -> None:
    """Sign in to a GradeGrad server and keep an API token in your config directory."""
    body = call("POST", "/tokens", {"server": server, "token": ""}, json={"username": username, "password": password})
    path = save_config(server, body["token"])
    click.echo(f"Signed in to {server} as {body['username']} ({body['role']}); token kept in {path}")


@click.command("logout")
def logout() -> None:
    """Revoke the API token kept by `gradegrad login` on its server, and forget it."""
    path = config_path()
    stored = json.loads(path.read_text()) if path.exists() else {}
    if not stored.get("token"):
        raise ServiceError("Not signed in: there is no kept token to revoke")
    try:
        call("DELETE", "/tokens/current", stored)
    except ServiceError as exc:
        if exc.status != 401:  # not reached, or refused for another reason: keep the token to try again
            raise
    path.unlink()
    click.echo(f"Signed out of {stored['server']}: the token no longer works and is forgotten")


@click.command("submit")
@click.argument("exercise")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as one JSON object (grade --json, plus id).")
@click.option("--timeout", default=300.0, show_default=True, help="Seconds to wait for the grade.")
def submit(exercise: str, path: Path, as_json: bool, timeout: float) -> None:
    """Submit FILE (.py or .ipynb) for EXERCISE and wait for the grade; exit 0 if it passed, 1 if not."""
    config = load_config()
    result = wait_for(send(exercise, path.name, path.read_bytes(), config), config, timeout)
    show(result, as_json)
    sys.exit(0 if result.get("passed") else 1)


@click.command("check")
@click.argument("exercise")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the check as one JSON object.")
@click.option("--timeout", default=300.0, show_default=True, help="Seconds to wait for the check.")
def check(exercise: str, path: Path, as_json: bool, timeout: float) -> None:
    """Check FILE (.py or .ipynb) against EXERCISE's public samples, showing expected and got for each: it spends
    no attempt and is not graded. Exit 0 if every sample passed, 1 if not."""
    config = load_config()
    result = wait_for(send(exercise, path.name, path.read_bytes(), config, CHECKS), config, timeout, CHECKS)
    if as_json:
        click.echo(strict_dumps(result))
    else:
        render_check(result, Console())
    sys.exit(0 if result.get("passed") else 1)


def send(exercise: str, filename: str, content: bytes, config: dict[str, str], kind: str = SUBMISSIONS) -> int:
    """Upload a submission (or, with ``kind`` CHECKS, a check); its id."""
    created = call("POST", f"/{kind}", config, data={"exercise": exercise}, files={"file": (filename, content)})
    return int(created["id"])


@click.command("status")
@click.argument("submission_id", metavar="ID", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the submission as JSON.")
def status(submission_id: int, as_json: bool) -> None:
    """Show a submission: its status, and its report once graded."""
    show(call("GET", f"/submissions/{submission_id}"), as_json)


@click.command("history")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def history(as_json: bool) -> None:
    """List your own submissions, newest first."""
    rows = call("GET", "/submissions")
    if as_json:
        click.echo(strict_dumps(rows))
        return
    table = Table("id", "exercise", "submitted (UTC)", "status", "score", "passed")
    for row in rows:
        score = f"{row['score']:.0%}" if row.get("score") is not None else "–"
        table.add_row(str(row["id"]), plain(row["exercise"]), plain(row["created_at"][:19].replace("T", " ")),
                      plain(row["status"]), score, {True: "yes", False: "no"}.get(row.get("passed"), "–"))
    Console().print(table)


def wait_for(item_id: int, config: dict[str, str], timeout: float, kind: str = SUBMISSIONS) -> dict[str, Any]:
    """Poll a submission (or, with ``kind`` CHECKS, a check) until it is finished, with a spinner on stderr
    (stdout stays clean for --json)."""
    deadline, delays = time.monotonic() + timeout, poll_delays()
    name = f"{'Submission' if kind == SUBMISSIONS else 'Check'} {item_id}"
    with Console(stderr=True).status(f"{name}: queued") as spinner:
        while True:
            time.sleep(next(delays))
            result = call("GET", f"/{kind}/{item_id}", config)
            if result["status"] in DONE:
                return result
            if time.monotonic() > deadline:
                later = f"; check later with `gradegrad status {item_id}`" if kind == SUBMISSIONS else ""
                raise ServiceError(f"{name} is still {result['status']} after {timeout:g} s{later}")
            spinner.update(f"{name}: {result['status']}")


def show(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        click.echo(strict_dumps(result))
    elif result["status"] in DONE:
        render_report(result, Console())
        click.echo(visible(f"Submission {result['id']} · {result['status']}"))
    else:
        click.echo(visible(f"Submission {result['id']} ({result['exercise']}): {result['status']}"))
