"""The grading core's commands of ``gradegrad``: exercises, grade, check-exercises.

The ``gradegrad`` script belongs to the student's client (``gradegrad_client.command``); these
commands are registered in ``pyproject.toml`` under the entry-point group ``gradegrad.commands``
and imported only when called. Each grades against the course ``--course DIR`` or
``GRADEGRAD_COURSE_DIR`` names, else the built-in demo course.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console
from rich.table import Column, Table

from grader.course import COURSE_DIR_ENV, CourseError, course_root, current_course, failure_line

CASE_KEY_ENV = "GRADEGRAD_CASE_KEY"

if TYPE_CHECKING:
    from grader.exercise import Catalogue


def use_course(ctx: click.Context, param: click.Parameter, folder: Path | None) -> None:
    """Make ``folder`` this process's course, and that of every process it starts (a worker's pool,
    the web's worker): they all read GRADEGRAD_COURSE_DIR."""
    if folder is not None:
        os.environ[COURSE_DIR_ENV] = str(folder.resolve())


def course_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--course DIR`` on the commands that grade, list or serve exercises."""
    return click.option("--course", type=click.Path(exists=True, file_okay=False, path_type=Path),
                        callback=use_course, expose_value=False, is_eager=True,
                        help=f"The course folder (default: ${COURSE_DIR_ENV}, else the built-in demo course).")(command)


def load_course() -> Catalogue:
    """The course's exercises; a course folder that cannot be loaded stops the command with every problem."""
    try:
        return current_course().exercises
    except CourseError as exc:
        raise click.ClickException(str(exc)) from None


@click.command("exercises")
@course_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
def list_exercises(as_json: bool) -> None:
    """List the exercise catalogue, and what a submission may import."""
    from grader.sandbox.imports import available_sentence

    course = load_course()
    if as_json:
        click.echo(json.dumps([{"name": e.name, "title": e.title, "signature": e.signature}
                               for e in course.values()], indent=2))
        return
    table = Table("name", "title", "signature")
    for exercise in course.values():
        table.add_row(exercise.name, exercise.title, exercise.signature)
    Console().print(table)
    click.echo(available_sentence())


@click.command("grade")
@course_option
@click.argument("exercise_name", metavar="EXERCISE")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the hidden suite.")
@click.option("--with-case-key", is_flag=True,
              help="Key the suite with $GRADEGRAD_CASE_KEY, as the service does: reproduces a submission's "
                   "grading from the seed its page shows an instructor.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (same as --format json).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "gradescope"]), default="text",
              show_default=True, help="gradescope: a Gradescope results.json.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the JSON or results.json there instead of stdout.")
def grade_command(exercise_name: str, path: Path, seed: int, with_case_key: bool, as_json: bool, fmt: str,
                  output: Path | None) -> None:
    """Grade FILE (.py, or an .ipynb notebook) against EXERCISE's hidden cases.

    Without --with-case-key this is a practice run: the suite comes from the seed alone.
    """
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
    case_key = None
    if with_case_key:
        if not os.environ.get(CASE_KEY_ENV):
            raise click.UsageError(f"--with-case-key needs the deployment's key in ${CASE_KEY_ENV} (a deployment "
                                   "without one keeps it in its instance folder: instance/case_key)")
        case_key = os.environ[CASE_KEY_ENV].encode()
    try:
        program = read_submission(path.name, path.read_bytes(), exercise.name)
        report = grade(program.source, exercise, seed, case_key=case_key, notes=program.notes)
    except SubmissionError as exc:
        report = error_report(exercise, seed, f"Cannot grade {path.name}: {exc}", case_key)
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


@click.command("check-exercises")
@course_option
@click.option("--seeds", type=click.IntRange(min=1), default=5, show_default=True,
              help="Check the hidden suites of seeds 0 .. N-1.")
def check_exercises(seeds: int) -> None:
    """Check every exercise: references against finite differences (a value against its cross-check),
    mistakes against the suites of many seeds."""
    from grader.checks import check_exercise

    # the name in full, never cut short on a narrow terminal: the headers beside it wrap instead
    table = Table(Column("exercise", no_wrap=True), "cases", "mistakes caught", "named", "error vs check", "ok",
                  title=f"seeds 0..{seeds - 1}")
    failed = []
    for exercise in load_course().values():
        try:
            check = check_exercise(exercise, range(seeds))
        except Exception as exc:  # noqa: BLE001 - the exercise's own code failed: say where, and check the others
            table.add_row(exercise.name, "–", "–", "–", "–", "[red]no[/]")
            failed.append(f"{exercise.name}: its own code failed: {failure_line(course_root(exercise), exc)}")
            continue
        table.add_row(exercise.name, str(check.cases), f"{check.mistakes - len(check.uncaught)}/{check.mistakes}",
                      f"{check.mistakes - len(check.unhinted)}/{check.mistakes}", f"{check.worst_fd_error:.1e}",
                      "[green]yes[/]" if check.ok else "[red]no[/]")
        if not check.ok:
            problems = ", ".join(check.problems()) or "reference disagrees with finite differences"
            failed.append(f"{exercise.name}: {problems}")
    Console().print(table)
    if failed:
        raise click.ClickException("; ".join(failed))
