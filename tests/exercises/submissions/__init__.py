"""Right and wrong submissions to the exercises of the catalogue, kept as data.

One module per exercise, named after it, holds three names:

- ``SEED``: the seed the test suite grades this exercise's submissions at;
- ``CORRECT``: label -> source of a right implementation (it must score 1);
- ``WRONG``: label -> (source, name of the mistake whose hint the report must give): a mistake of the
  exercise's bank, or a generic detection of grader.feedback (a key of ``DETECTION_MARKS``).

Sources may be indented as they sit in the module; they come out of here dedented, ready to grade.
The test suite grades every submission at its exercise's seed; bench/feedback.py grades the same
``submissions()`` over as many seeds as it likes.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import import_module
from textwrap import dedent
from typing import NamedTuple

from exercises import CATALOGUE


class Submission(NamedTuple):
    """One submission of the collection; ``mistake`` is None for a right one."""

    exercise: str
    label: str
    source: str
    mistake: str | None


@dataclass(frozen=True)
class Collection:
    """The submissions to one exercise and the seed the test suite grades them at."""

    exercise: str
    seed: int
    correct: dict[str, str]
    wrong: dict[str, tuple[str, str]]

    def submissions(self) -> list[Submission]:
        return ([Submission(self.exercise, label, source, None) for label, source in self.correct.items()]
                + [Submission(self.exercise, label, source, mistake)
                   for label, (source, mistake) in self.wrong.items()])


def collected() -> tuple[str, ...]:
    """The names of the exercises that have a module here, in alphabetical order."""
    return tuple(sorted(module.name for module in pkgutil.iter_modules(__path__)))


def load(exercise: str) -> Collection:
    """The collection of ``exercise``; ModuleNotFoundError if it has none."""
    module = import_module(f"{__name__}.{exercise}")
    return Collection(
        exercise=exercise, seed=module.SEED,
        correct={label: dedent(source) for label, source in module.CORRECT.items()},
        wrong={label: (dedent(source), mistake) for label, (source, mistake) in module.WRONG.items()},
    )


def submissions(exercises: Iterable[str] = CATALOGUE) -> list[Submission]:
    """Every submission to ``exercises`` (by default the whole catalogue): the right ones first, per exercise."""
    return [submission for exercise in exercises for submission in load(exercise).submissions()]
