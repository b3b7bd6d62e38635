"""A course: the exercises graded, either the built-in demo course or an instructor's course folder.

A course folder lives outside the platform, usually in its own private repository: one package
per exercise (``<name>/__init__.py`` exposing ``EXERCISE``, as the built-in exercises do) and an
optional ``course.toml``::

    title = "Mathematics of machine learning"
    builtin = ["mse_grad", "linreg_grad"]   # built-in exercises to include (true: all of them)

    [[assignments]]                          # what is graded, in points (see grader/assignments.py)
    name = "hw1"
    title = "Homework 1"
    due = 2026-12-10T23:59:00Z               # optional; else each exercise's due date
    late_penalty_per_day = 0.1               # optional; else each exercise's late policy
    exercises = { mse_grad = 10, linreg_grad = 20 }

Reading a folder imports the instructor's packages (trusted code, never a student's) and
reports every problem at once, each with its file and line, instead of stopping at the first.
The process reads its course once, from ``GRADEGRAD_COURSE_DIR`` (or no folder: the built-in
course); web and workers must be given the same folder, and a restart makes edits live.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import keyword
import os
import re
import sys
import tomllib
import traceback
from dataclasses import dataclass
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

from grader.assignments import Assignment, one_per_exercise, read_assignments
from grader.exercise import Catalogue, Exercise

COURSE_DIR_ENV = "GRADEGRAD_COURSE_DIR"
BUILTIN_GROUP = "gradegrad.course"
SETTINGS_FILE = "course.toml"
# An exercise's name appears in URLs, file names and the contract's JSON.
EXERCISE_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


def valid_name(name: str) -> bool:
    """Whether ``name`` can name an exercise: it is the student's function's name, so no keyword either."""
    return bool(EXERCISE_NAME.fullmatch(name)) and not keyword.iskeyword(name)


SETTINGS: dict[str, type | tuple[type, ...]] = {"title": str, "builtin": (bool, list), "assignments": list}


class CourseError(Exception):
    """A course that cannot be loaded; ``problems`` holds every one, each naming its file and line."""

    def __init__(self, folder: Path, problems: list[str]) -> None:
        super().__init__(f"the course in {folder} cannot be loaded:\n" + "\n".join(f"  {p}" for p in problems))
        self.folder = folder
        self.problems = problems


@dataclass(frozen=True)
class Course:
    """The exercises a deployment grades, with the course's title; ``folder`` None is the built-in course.

    assignments: what is graded, in points; a course.toml without any gets one assignment per exercise,
    worth 1 point, named after it (as the built-in course has). An exercise in no assignment is practice.
    """

    title: str
    exercises: Catalogue
    folder: Path | None = None
    assignments: tuple[Assignment, ...] = ()

    def assignment(self, name: str) -> Assignment | None:
        return next((a for a in self.assignments if a.name == name), None)

    def assignment_of(self, exercise: str) -> Assignment | None:
        """The assignment ``exercise`` counts in, or None for a practice exercise."""
        return next((a for a in self.assignments if exercise in a.points), None)


def builtin_course() -> Course:
    """The demo course the platform ships, registered under the entry-point group ``gradegrad.course``."""
    points = list(entry_points(group=BUILTIN_GROUP))
    if not points:
        raise CourseError(Path("."), [f"no built-in course is installed (entry-point group {BUILTIN_GROUP!r})"])
    loaded = points[0].load()
    exercises = loaded if isinstance(loaded, Catalogue) else Catalogue(loaded)
    return Course("GradeGrad demo course", exercises, assignments=one_per_exercise(exercises))


def current_course() -> Course:
    """This process's course: the folder named by ``GRADEGRAD_COURSE_DIR``, else the built-in course."""
    return _loaded(os.environ.get(COURSE_DIR_ENV) or None)


@cache
def _loaded(folder: str | None) -> Course:
    """Keyed by the variable as set: every page and grading asks for the course, and resolving the path
    would cost file system calls each time."""
    return read_course(Path(folder).expanduser().resolve()) if folder else builtin_course()


def forget_loaded_courses() -> None:
    """Read the course again on next use (after its files changed, in a process that stays up)."""
    _loaded.cache_clear()


def read_course(folder: Path) -> Course:
    """Load the course folder ``folder``; raises CourseError listing every problem found."""
    if not folder.is_dir():
        raise CourseError(folder, [f"{folder} is not a folder"])
    problems: list[str] = []
    settings = read_settings(folder / SETTINGS_FILE, problems)
    exercises = included_builtins(settings.get("builtin", False), problems)
    package = course_package(folder)
    for sub in sorted(path for path in folder.iterdir() if path.is_dir() and not path.name.startswith((".", "_"))):
        if not (sub / "__init__.py").is_file():
            if any(sub.glob("*.py")):
                problems.append(f"{sub.name}/: has Python files but no __init__.py, so it is not an exercise")
            continue
        exercise = load_exercise(folder, package, sub.name, problems)
        if exercise is None:
            continue
        if exercise.name in exercises:
            problems.append(f"{sub.name}/__init__.py: the exercise '{exercise.name}' is defined twice "
                            "(a built-in exercise of that name is included by course.toml)")
            continue
        exercises[exercise.name] = exercise
    assignments = read_assignments(settings.get("assignments", []), exercises, problems)
    if problems:
        raise CourseError(folder, problems)
    return Course(str(settings.get("title", folder.name)), exercises, folder,
                  assignments or one_per_exercise(exercises))


def read_settings(path: Path, problems: list[str]) -> dict[str, object]:
    if not path.is_file():
        return {}
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.append(f"{SETTINGS_FILE}: {exc}")
        return {}
    for key, value in settings.items():
        if key not in SETTINGS:
            problems.append(f"{SETTINGS_FILE}: unknown setting '{key}' (known: {', '.join(SETTINGS)})")
        elif not isinstance(value, SETTINGS[key]):
            problems.append(f"{SETTINGS_FILE}: '{key}' has the wrong type ({type(value).__name__})")
    return settings


def included_builtins(wanted: object, problems: list[str]) -> Catalogue:
    """The built-in exercises course.toml includes: ``builtin = true`` for all, or a list of names."""
    if not isinstance(wanted, list):
        return Catalogue(builtin_course().exercises) if wanted is True else Catalogue()
    builtin = builtin_course().exercises
    included = Catalogue()
    for name in wanted:
        if name in builtin:
            included[name] = builtin[name]
        else:
            problems.append(f"{SETTINGS_FILE}: 'builtin' names '{name}', which is not a built-in exercise "
                            f"(built-in: {', '.join(builtin)})")
    return included


def course_package(folder: Path) -> str:
    """Import the folder as a package of its own, named after its path, so that its exercises may
    use relative imports (``from . import cases``, ``from .. import shared``) and two courses never
    share modules; modules of an earlier reading of the same folder are dropped first."""
    name = "gradegrad_course_" + hashlib.sha256(str(folder).encode()).hexdigest()[:12]
    for loaded in [module for module in sys.modules if module == name or module.startswith(name + ".")]:
        del sys.modules[loaded]
    spec = importlib.util.spec_from_loader(name, loader=None, is_package=True)
    assert spec is not None and spec.submodule_search_locations is not None
    spec.submodule_search_locations.append(str(folder))
    sys.modules[name] = importlib.util.module_from_spec(spec)
    return name


def load_exercise(folder: Path, package: str, name: str, problems: list[str]) -> Exercise | None:
    """The ``EXERCISE`` of the package ``folder/name``, or None with the problem recorded."""
    where = f"{name}/__init__.py"
    if not valid_name(name):
        problems.append(f"{name}/: an exercise's folder is named in lower case letters, digits and _, "
                        "starting with a letter, and is not a Python keyword")
        return None
    try:
        module: ModuleType = importlib.import_module(f"{package}.{name}")
    except Exception as exc:  # noqa: BLE001 - any failure of the instructor's code is reported, with its line
        problems.append(failure_line(folder, exc))
        return None
    exercise = getattr(module, "EXERCISE", None)
    if not isinstance(exercise, Exercise):
        problems.append(f"{where}: defines no EXERCISE (a grader.exercise.Exercise)")
        return None
    if exercise.name != name:
        problems.append(f"{where}: EXERCISE is named '{exercise.name}' but its folder is '{name}'; "
                        "name the folder after the exercise")
        return None
    return exercise


def failure_line(folder: Path, exc: BaseException) -> str:
    """'file:line: what went wrong', the line being the last one of the course's own files involved."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f"{relative(folder, exc.filename)}:{exc.lineno}: syntax error: {exc.msg}"
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
              if Path(frame.filename).resolve().is_relative_to(folder)]
    where = f"{relative(folder, frames[-1].filename)}:{frames[-1].lineno}: " if frames else ""
    return f"{where}{type(exc).__name__}: {exc}"


class ExerciseFailed(Exception):
    """An exercise's own code (its case generator, loss, reference or mistakes) raised while grading: the
    course's fault, never the student's. ``where`` says 'FILE:LINE: what' within the course, for instructors
    (it may quote hidden values, so it is never shown to a student)."""

    def __init__(self, exercise: Exercise, exc: BaseException) -> None:
        self.where = failure_line(course_root(exercise), exc)
        super().__init__(f"the exercise '{exercise.name}' failed: {self.where}")


def raised_by_course(exercise: Exercise, exc: BaseException) -> bool:
    """Whether ``exc`` came through the exercise's course code (a student's code never runs in this process)."""
    root = course_root(exercise)
    return any(Path(frame.filename).resolve().is_relative_to(root) for frame in traceback.extract_tb(exc.__traceback__))


def course_root(exercise: Exercise) -> Path:
    """The folder of the course an exercise's code is in: the parent of the package of its case generator."""
    return Path(inspect.getfile(exercise.generate_cases)).resolve().parent.parent


def relative(folder: Path, filename: str) -> str:
    path = Path(filename).resolve()
    return str(path.relative_to(folder)) if path.is_relative_to(folder) else filename
