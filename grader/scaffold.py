"""``gradegrad new-exercise``: a working exercise to start from, in a course folder."""

from __future__ import annotations

from pathlib import Path

import click

from grader.course import COURSE_DIR_ENV, valid_name

SKELETON = Path(__file__).parent / "skeleton"


def write_skeleton(course: Path, name: str) -> Path:
    """Write the exercise ``name`` into ``course``: a statement with a formula, a loss, a case
    generator, a public case and one named mistake, which ``check-exercises`` passes as written."""
    if not valid_name(name):
        raise click.BadParameter("an exercise's name is lower case letters, digits and _, starting with a letter, "
                                 "and not a Python keyword (it is also the function's name)", param_hint="NAME")
    folder = course / name
    if folder.exists():
        raise click.BadParameter(f"{folder} already exists; nothing was written", param_hint="NAME")
    folder.mkdir(parents=True)
    for template in sorted(SKELETON.iterdir(), key=lambda t: t.name):
        if template.name.endswith(".tmpl"):
            (folder / template.name.removesuffix(".tmpl")).write_text(
                template.read_text(encoding="utf-8").replace("__NAME__", name), encoding="utf-8")
    return folder


@click.command("new-exercise")
@click.argument("name")
@click.option("--course", "course", type=click.Path(file_okay=False, path_type=Path), envvar=COURSE_DIR_ENV,
              required=True, help=f"The course folder (default: ${COURSE_DIR_ENV}); created if missing.")
def new_exercise(name: str, course: Path) -> None:
    """Write a skeleton exercise NAME into a course folder, ready to edit."""
    folder = write_skeleton(course, name)
    click.echo(f"Wrote {folder}: statement.md, reference.py (the loss), cases.py, mistakes.py, __init__.py.\n"
               f"Check it with: gradegrad check-exercises --course {course}\n"
               f"Try it with:   gradegrad grade {name} ANSWER.py --course {course}")
