"""gradegrad-client installs alone into a fresh virtualenv, holds no answer, and submits to a running service."""

from __future__ import annotations

import subprocess
import venv
from collections.abc import Iterator
from pathlib import Path

import numpy
import pytest

from tests.service.conftest import RunningService

ROOT = Path(__file__).resolve().parents[2]
RIGHT = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / y.size\n"


@pytest.fixture(scope="module")
def client_venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A virtualenv with `pip install ./client` and nothing else (its dependencies come from the index)."""
    folder = tmp_path_factory.mktemp("client-venv")
    venv.create(folder, with_pip=True)
    subprocess.run([folder / "bin" / "python", "-m", "pip", "install", "--quiet", str(ROOT / "client")],
                   check=True, capture_output=True, timeout=600)
    yield folder


def installed_files(client_venv: Path) -> list[Path]:
    """Every file pip installed for gradegrad-client, from its RECORD."""
    site = next((client_venv / "lib").glob("python3*/site-packages"))
    record = next(site.glob("gradegrad_client-*.dist-info/RECORD"))
    return [(site / line.split(",")[0]).resolve() for line in record.read_text().splitlines() if line]


def answer_lines() -> set[str]:
    """The substantial lines of every reference, case generator and mistake bank of the built-in course."""
    lines = set()
    for path in (ROOT / "exercises").rglob("*.py"):
        if path.name in ("reference.py", "cases.py", "mistakes.py"):
            lines |= {line.strip() for line in path.read_text().splitlines() if len(line.strip()) > 30}
    return lines


def test_the_client_installs_alone_without_any_platform_module(client_venv):
    python = client_venv / "bin" / "python"
    found = subprocess.run([python, "-c", "import importlib.util as u; print([m for m in ('exercises', 'grader', "
                                          "'web', 'worker', 'numpy', 'flask', 'celery') if u.find_spec(m)])"],
                           capture_output=True, text=True, check=True, cwd=client_venv)
    assert found.stdout.strip() == "[]"
    shown = subprocess.run([client_venv / "bin" / "gradegrad", "--help"], capture_output=True, text=True, check=True)
    commands = [line.split()[0] for line in shown.stdout.split("Commands:")[1].splitlines() if line.startswith("  ")]
    assert commands == ["check", "history", "login", "logout", "status", "submit"]


def test_no_file_of_the_client_holds_a_line_of_an_answer(client_venv):
    answers = answer_lines()
    assert len(answers) > 100
    files = installed_files(client_venv)
    assert any(path.name == "cli.py" for path in files)
    leaked = [(path.name, line) for path in files if path.suffix in (".py", ".txt", ".md", "")
              and path.is_file() for line in path.read_text(errors="replace").splitlines() if line.strip() in answers]
    assert leaked == []


def test_the_installed_client_signs_in_and_submits(client_venv, embedded_service: RunningService, tmp_path):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "PATH": "/usr/bin:/bin"}
    gradegrad = str(client_venv / "bin" / "gradegrad")
    signed = subprocess.run([gradegrad, "login", "--server", embedded_service.url, "--username", "ada",
                             "--password", embedded_service.passwords["ada"]], env=env, capture_output=True,
                            text=True, timeout=120)
    assert signed.returncode == 0, signed.stderr
    (tmp_path / "answer.py").write_text(RIGHT)
    submitted = subprocess.run([gradegrad, "submit", "mse_grad", str(tmp_path / "answer.py")], env=env,
                               capture_output=True, text=True, timeout=300)
    assert submitted.returncode == 0, submitted.stdout + submitted.stderr
    assert submitted.stdout.rstrip().endswith("· graded")


def test_a_notebook_submits_a_function_with_what_it_uses(client_venv, embedded_service: RunningService, tmp_path):
    """As from a notebook: the function's source goes with its imports, helper and constant, and is graded."""
    script = tmp_path / "session.py"
    script.write_text(
        "import numpy as onp\n"
        "from gradegrad_client import submit\n\n"
        "TWO = 2.0\n\n"
        "def residual(y_hat, y):\n    return y_hat - y\n\n"
        "def mse_grad(y_hat, y):\n    return TWO * residual(y_hat, y) / onp.size(y)\n\n"
        "result = submit('mse_grad', mse_grad, show=False)\n"
        "print(result['status'], result['passed'])\n")
    env = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "GRADEGRAD_SERVER": embedded_service.url,
           "GRADEGRAD_TOKEN": embedded_service.tokens["ada"], "PATH": "/usr/bin:/bin"}
    # numpy is the student's own (here the platform's, alone on the path): the client does not need it.
    numpy_only = tmp_path / "numpy-only"
    numpy_only.mkdir()
    for part in Path(numpy.__file__).parent.parent.glob("numpy*"):
        (numpy_only / part.name).symlink_to(part)
    env["PYTHONPATH"] = str(numpy_only)
    done = subprocess.run([client_venv / "bin" / "python", script], env=env, capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert done.stdout.strip() == "graded True", done.stderr
