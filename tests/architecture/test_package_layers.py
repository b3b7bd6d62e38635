"""The top-level packages depend one way: each imports only the packages below it.

From the bottom: the student's client (HTTP only), the grading core, the built-in course,
the web app (with the data layer and the queue interface), the worker. A loop between two
packages, or an import from a lower package to a higher one, fails here with the module and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ("gradegrad_client", "grader", "exercises", "web", "worker")
# What each package may import besides itself: the client stands alone, every other package
# may use those below it.
ALLOWED = {
    "gradegrad_client": set(),
    "grader": {"gradegrad_client"},
    "exercises": {"grader"},
    "web": {"gradegrad_client", "grader", "exercises"},
    "worker": {"gradegrad_client", "grader", "exercises", "web"},
}


def imported_packages(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every import in a module, also inside functions, and of
    every ``import_module("...")`` with a literal name."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.args[0].value.split(".")[0]))
    return found


def folder(package: str) -> Path:
    """Where a package's source is: the client is a distribution of its own, in client/."""
    return ROOT / "client" / package if package == "gradegrad_client" else ROOT / package


def violations(package: str) -> list[str]:
    wrong = []
    for path in sorted(folder(package).rglob("*.py")):
        for line, imported in imported_packages(path):
            if imported in LAYERS and imported != package and imported not in ALLOWED[package]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    return wrong


@pytest.mark.parametrize("package", LAYERS)
def test_a_package_imports_only_the_packages_below_it(package: str) -> None:
    assert violations(package) == []


def test_the_layers_leave_no_room_for_a_loop() -> None:
    for lower, package in enumerate(LAYERS):
        assert ALLOWED[package] <= set(LAYERS[:lower]), f"{package} may import a package above it"


def test_the_check_notices_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from worker.tasks import grade_submission\n"
                      "import importlib\nimportlib.import_module('web.db')\n")
    assert sorted(imported_packages(module)) == [(2, "worker"), (3, "importlib"), (4, "web")]
