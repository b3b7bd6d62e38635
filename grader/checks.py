"""Self-checks of the catalogue: references agree with finite differences, suites catch mistakes."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from grader.exercise import Exercise
from grader.compare import compare
from grader.feedback import named_mistake
from grader.report import GradeReport
from grader.tolerances import FD_TOLERANCE, TINY, tolerance_for

CHECK_SEEDS = (0, 1, 2)


@dataclass
class ExerciseCheck:
    """What ``gradegrad check-exercises`` prints for one exercise."""

    name: str
    cases: int
    mistakes: int
    caught: list[str] = field(default_factory=list)
    hinted: list[str] = field(default_factory=list)
    worst_fd_error: float = 0.0
    mistake_names: list[str] = field(default_factory=list)

    @property
    def uncaught(self) -> list[str]:
        return [m for m in self.mistake_names if m not in self.caught]

    @property
    def unhinted(self) -> list[str]:
        return [m for m in self.mistake_names if m not in self.hinted]

    @property
    def ok(self) -> bool:
        return (not self.uncaught and not self.unhinted and self.cases > 0
                and self.worst_fd_error <= FD_TOLERANCE.rtol)


def fd_error(exercise: Exercise, seed: int) -> float:
    """The worst error of the reference against finite differences, relative to each array's scale.

    An element's error is |ref - fd| / (|fd| + scale * atol_scale / rtol) so tiny entries
    are judged against their array's scale, as answers are.
    """
    worst = 0.0
    for case in exercise.hidden_cases(seed):
        for ref, fd in zip(exercise.reference(case), exercise.numerical_reference(case)):
            scale = float(np.max(np.abs(fd))) if fd.size else 0.0
            floor = scale * FD_TOLERANCE.atol_scale / FD_TOLERANCE.rtol + TINY
            worst = max(worst, float(np.max(np.abs(ref - fd) / (np.abs(fd) + floor), initial=0.0)))
    return worst


def check_exercise(exercise: Exercise, seeds: tuple[int, ...] = CHECK_SEEDS) -> ExerciseCheck:
    """Run every named mistake through the hidden suites of ``seeds`` and the reference through FD."""
    tol = tolerance_for(exercise.name)
    result = ExerciseCheck(exercise.name, cases=len(exercise.hidden_cases(seeds[0])),
                           mistakes=len(exercise.mistakes), mistake_names=[m.name for m in exercise.mistakes])
    for seed in seeds:
        result.worst_fd_error = max(result.worst_fd_error, fd_error(exercise, seed))
        for case in exercise.hidden_cases(seed):
            references = exercise.reference(case)
            for mistake in exercise.mistakes:
                answers = exercise.evaluate(mistake.gradient, case)
                rejected = len(answers) != len(references) or not all(
                    compare(slot.label, a, r, tol).right
                    for slot, a, r in zip(exercise.slots(case), answers, references))
                if not rejected:
                    continue
                if mistake.name not in result.caught:
                    result.caught.append(mistake.name)
                if mistake.name not in result.hinted and named_mistake(exercise, case, answers, tol) == mistake.hint:
                    result.hinted.append(mistake.name)
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
