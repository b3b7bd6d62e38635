"""The ``gradegrad`` command line."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

# Commands that pull in heavy or optional parts (Flask, Celery, an HTTP client) are imported
# only when called, so `gradegrad grade` starts fast. Name -> "module:attribute".
LAZY_COMMANDS: dict[str, str] = {
    "db": "web.commands:db",
    "create-user": "web.commands:create_user",
    "import-roster": "web.commands:import_roster",
    "serve": "web.commands:serve",
    "worker": "worker.commands:worker",
    "beat": "worker.commands:beat",
    "login": "grader.client:login",
    "logout": "grader.client:logout",
    "submit": "grader.client:submit",
    "status": "grader.client:status",
    "history": "grader.client:history",
    "sandbox-check": "grader.sandbox.selfcheck:sandbox_check",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            module, attribute = LAZY_COMMANDS[name].split(":")
            return getattr(importlib.import_module(module), attribute)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup)
def main() -> None:
    """GradeGrad: grade NumPy gradient functions against hidden numeric tests."""


@main.command("exercises")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def list_exercises(as_json: bool) -> None:
    """List the exercise catalogue."""
    from exercises import EXERCISES

    if as_json:
        click.echo(json.dumps([{"name": e.name, "title": e.title, "signature": e.signature}
                               for e in EXERCISES.values()], indent=2))
        return
    table = Table("name", "title", "signature")
    for exercise in EXERCISES.values():
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
    from exercises import UnknownExercise, get_exercise
    from grader.gradescope import gradescope_results
    from grader.pipeline import error_report, grade
    from grader.render import render_report
    from grader.sandbox import SandboxUnavailable
    from grader.strict_json import strict_dumps
    from grader.submission import SubmissionError, read_submission

    try:
        exercise = get_exercise(exercise_name)
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
    from exercises import EXERCISES
    from grader.checks import check_exercise

    table = Table("exercise", "cases", "mistakes caught", "named", "worst FD error", "ok",
                  title=f"seeds 0..{seeds - 1}")
    failed = []
    for exercise in EXERCISES.values():
        check = check_exercise(exercise, range(seeds))
        table.add_row(exercise.name, str(check.cases), f"{check.mistakes - len(check.uncaught)}/{check.mistakes}",
                      f"{check.mistakes - len(check.unhinted)}/{check.mistakes}", f"{check.worst_fd_error:.1e}",
                      "[green]yes[/]" if check.ok else "[red]no[/]")
        if not check.ok:
            failed.append(f"{exercise.name}: " + (", ".join(check.problems()) or "reference disagrees with finite differences"))
    Console().print(table)
    if failed:
        raise click.ClickException("; ".join(failed))
