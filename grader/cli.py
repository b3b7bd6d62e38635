"""The ``gradegrad`` command line: the grading core's commands, and the others it is composed of.

The core's own commands (``exercises``, ``grade``, ``check-exercises``) are defined here. Every
other command (``sandbox-check``, and those of the packages above the core: the web, the worker,
the student's client) is registered in ``pyproject.toml`` under the entry-point group
``gradegrad.commands`` and imported only when called, so ``gradegrad grade`` starts without
Flask or Celery and ``gradegrad login`` without NumPy. The exercises come from the course
registered under ``gradegrad.course``.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from grader.exercise import Catalogue

COMMANDS_GROUP = "gradegrad.commands"
COURSE_GROUP = "gradegrad.course"


def plugged_commands() -> dict[str, EntryPoint]:
    """The commands other packages register, by name (not yet imported)."""
    return {point.name: point for point in entry_points(group=COMMANDS_GROUP)}


def load_course() -> Catalogue:
    """The course's exercises: the catalogue registered under ``gradegrad.course``."""
    from grader.exercise import Catalogue

    points = list(entry_points(group=COURSE_GROUP))
    if not points:
        raise click.ClickException(f"no course is installed (entry-point group {COURSE_GROUP!r} is empty)")
    return Catalogue(points[0].load())


class ComposedGroup(click.Group):
    """The core's commands plus those registered under ``gradegrad.commands``, loaded on use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *plugged_commands()})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None and name in (plugged := plugged_commands()):
            command = plugged[name].load()
        return command


@click.group(cls=ComposedGroup)
def main() -> None:
    """GradeGrad: grade NumPy gradient functions against hidden numeric tests."""


@main.command("exercises")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def list_exercises(as_json: bool) -> None:
    """List the exercise catalogue."""
    course = load_course()
    if as_json:
        click.echo(json.dumps([{"name": e.name, "title": e.title, "signature": e.signature}
                               for e in course.values()], indent=2))
        return
    table = Table("name", "title", "signature")
    for exercise in course.values():
        table.add_row(exercise.name, exercise.title, exercise.signature)
    Console().print(table)


@main.command("grade")
@click.argument("exercise_name", metavar="EXERCISE")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the hidden suite.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (same as --format json).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "gradescope"]), default="text",
              show_default=True, help="gradescope: a Gradescope results.json.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the JSON or results.json there instead of stdout.")
def grade_command(exercise_name: str, path: Path, seed: int, as_json: bool, fmt: str, output: Path | None) -> None:
    """Grade FILE (.py, or an .ipynb notebook) against EXERCISE's hidden cases."""
    from gradegrad_client.render import render_report
    from gradegrad_client.strict_json import strict_dumps
    from grader.exercise import UnknownExercise
    from grader.gradescope import gradescope_results
    from grader.pipeline import error_report, grade
    from grader.sandbox import SandboxUnavailable
    from grader.submission import SubmissionError, read_submission

    try:
        exercise = load_course().get_exercise(exercise_name)
    except UnknownExercise as exc:
        raise click.BadParameter(exc.args[0], param_hint="EXERCISE") from None
    try:
        report = grade(read_submission(path.name, path.read_bytes(), exercise.name), exercise, seed)
    except SubmissionError as exc:
        report = error_report(exercise, seed, f"Cannot grade {path.name}: {exc}")
    except SandboxUnavailable as exc:
        raise click.ClickException(f"grading refused: {exc} (see `gradegrad sandbox-check`)") from None
    fmt = "json" if as_json else fmt
    if fmt == "text":
        render_report(report.to_dict(), Console())
        return
    data = report.to_dict() if fmt == "json" else gradescope_results(report)
    text = strict_dumps(data, indent=None if fmt == "json" else 2)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


@main.command("check-exercises")
@click.option("--seeds", type=click.IntRange(min=1), default=5, show_default=True,
              help="Check the hidden suites of seeds 0 .. N-1.")
def check_exercises(seeds: int) -> None:
    """Check every exercise: references against finite differences, mistakes against the suites of many seeds."""
    from grader.checks import check_exercise

    table = Table("exercise", "cases", "mistakes caught", "named", "worst FD error", "ok",
                  title=f"seeds 0..{seeds - 1}")
    failed = []
    for exercise in load_course().values():
        check = check_exercise(exercise, range(seeds))
        table.add_row(exercise.name, str(check.cases), f"{check.mistakes - len(check.uncaught)}/{check.mistakes}",
                      f"{check.mistakes - len(check.unhinted)}/{check.mistakes}", f"{check.worst_fd_error:.1e}",
                      "[green]yes[/]" if check.ok else "[red]no[/]")
        if not check.ok:
            problems = ", ".join(check.problems()) or "reference disagrees with finite differences"
            failed.append(f"{exercise.name}: {problems}")
    Console().print(table)
    if failed:
        raise click.ClickException("; ".join(failed))
