"""Self-checks of the catalogue: references agree with finite differences (or a value's cross-check),
suites catch mistakes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.compare import compare
from grader.exercise import Case, Exercise
from grader.feedback import UNDEFINED, Answered, named_mistake
from grader.report import GradeReport
from grader.tolerances import FD_TOLERANCE, TINY, Tolerance, tolerance_for

# The seeds the catalogue's own tests check references on; `gradegrad check-exercises --seeds N`
# checks seeds 0..N-1.
CHECK_SEEDS = (0, 1, 2)


@dataclass
class ExerciseCheck:
    """What ``gradegrad check-exercises`` prints for one exercise.

    ``escaped`` and ``unnamed`` map a mistake to the first seed whose hidden suite let it pass,
    or whose feedback did not name it: a verdict must hold on every seed, not on most.
    """

    name: str
    cases: int
    mistakes: int
    seeds: int = 0
    escaped: dict[str, int] = field(default_factory=dict)
    unnamed: dict[str, int] = field(default_factory=dict)
    worst_fd_error: float = 0.0
    mistake_names: list[str] = field(default_factory=list)

    @property
    def uncaught(self) -> list[str]:
        return [m for m in self.mistake_names if m in self.escaped]

    @property
    def unhinted(self) -> list[str]:
        return [m for m in self.mistake_names if m in self.unnamed]

    @property
    def ok(self) -> bool:
        return (not self.escaped and not self.unnamed and self.cases > 0
                and self.worst_fd_error <= FD_TOLERANCE.rtol)

    def problems(self) -> list[str]:
        """One line per mistake that escaped or went unnamed, with the seed where it did."""
        return ([f"'{m}' passed on seed {seed}" for m, seed in self.escaped.items()]
                + [f"'{m}' not named on seed {seed}" for m, seed in self.unnamed.items()])


def fd_error(exercise: Exercise, seed: int) -> float:
    """The worst error of the reference against finite differences, relative to each array's scale;
    for an exercise asking for a value, against the value's cross-check.

    An element's error is |ref - fd| / (|fd| + scale * atol_scale / rtol) so tiny entries
    are judged against their array's scale, as answers are.
    """
    worst = 0.0
    for case in exercise.hidden_cases(seed):
        for ref, fd in zip(exercise.reference(case), exercise.independent_reference(case), strict=True):
            scale = float(np.max(np.abs(fd))) if fd.size else 0.0
            floor = scale * FD_TOLERANCE.atol_scale / FD_TOLERANCE.rtol + TINY
            worst = max(worst, float(np.max(np.abs(ref - fd) / (np.abs(fd) + floor), initial=0.0)))
    return worst


def answered(exercise: Exercise, function: Callable[..., Any], cases: list[Case], tol: Tolerance) -> list[Answered]:
    """A trusted function's answers to ``cases``, compared with the references as a submission's are.

    A case the function raises on is left out, as the pipeline leaves out a case a submission
    raised on: it fails, but says nothing about which mistake was made.
    """
    result = []
    for case in cases:
        references = exercise.reference(case)
        try:
            answers = exercise.evaluate(function, case)
        except UNDEFINED:
            continue
        comparisons = [compare(slot.label, a, r, tol)
                       for slot, a, r in zip(exercise.slots(case), answers, references, strict=True)]
        result.append(Answered(case, answers, references, comparisons))
    return result


def check_exercise(exercise: Exercise, seeds: Iterable[int] = CHECK_SEEDS) -> ExerciseCheck:
    """Run every named mistake through the hidden suite of each seed, and the reference through FD.

    A mistake must fail (or raise on) some hidden case on every seed, and the feedback on the
    seed's public and hidden cases together must name it.
    """
    seeds = list(seeds)
    tol = tolerance_for(exercise.name)
    result = ExerciseCheck(exercise.name, cases=len(exercise.hidden_cases(seeds[0])), mistakes=len(exercise.mistakes),
                           seeds=len(seeds), mistake_names=[m.name for m in exercise.mistakes])
    for seed in seeds:
        result.worst_fd_error = max(result.worst_fd_error, fd_error(exercise, seed))
        hidden = exercise.hidden_cases(seed)
        for mistake in exercise.mistakes:
            public = answered(exercise, mistake.gradient, list(exercise.public_cases), tol)
            answers = answered(exercise, mistake.gradient, hidden, tol)
            if len(answers) == len(hidden) and all(a.right for a in answers):
                result.escaped.setdefault(mistake.name, seed)
            elif named_mistake(exercise, public + answers, tol) is not mistake:
                result.unnamed.setdefault(mistake.name, seed)
    return result


def leaked_expected_values(exercise: Exercise, report: GradeReport) -> list[str]:
    """Expected values of the report's failing hidden cases that appear, formatted, in its text.

    Looks for each value as repr and with 3 and 4 significant digits in every message, hint
    and error; values of fewer than three digits (0, 1, 0.5) are too common to count.
    """
    cases = {case.name: case for case in exercise.hidden_cases(report.seed)}
    text = " ".join([c.message for c in report.cases] + report.hints + [report.error or ""])
    leaks = []
    for case_report in (c for c in report.cases if not c.passed):
        for value in (v for ref in exercise.reference(cases[case_report.name]) for v in ref.ravel()):
            for shown in (repr(float(value)), f"{value:.3g}", f"{value:.4g}"):
                if sum(ch.isdigit() for ch in shown) >= 3 and shown in text:
                    leaks.append(shown)
    return leaks
