"""Feedback on the collection: every right and wrong submission of tests/exercises/submissions graded in the
sandbox over many seeds, as the service grades them (a new seed for every submission).

Per exercise it prints the right verdicts (right submissions passing / gradings), the wrong verdicts (wrong
submissions failing / gradings) and the share of wrong gradings whose feedback names the mistake the
collection expects (its bank mistake's hint, or the generic detection's), then every grading whose feedback
names a different mistake. The goal: every verdict right on every seed, at least nine wrong gradings in ten
named, none misnamed.

    .venv/bin/python bench/feedback.py [--seeds 20] [--exercise mse_grad ...]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from exercises import CATALOGUE, get_exercise  # noqa: E402
from grader.feedback import detection_named  # noqa: E402
from grader.pipeline import grade  # noqa: E402
from grader.report import GradeReport  # noqa: E402
from tests.exercises.submissions import Submission, submissions  # noqa: E402

NAMED_GOAL = 0.9


@dataclass
class ExerciseFeedback:
    """The counts of one exercise's gradings, and the wrong ones that went unnamed or misnamed."""

    exercise: str
    right: int = 0
    right_passed: int = 0
    wrong: int = 0
    wrong_failed: int = 0
    named: int = 0
    wrong_verdicts: list[str] = field(default_factory=list)
    unnamed: list[str] = field(default_factory=list)
    misnamed: list[str] = field(default_factory=list)

    @property
    def named_share(self) -> float:
        return self.named / self.wrong if self.wrong else 1.0

    @property
    def ok(self) -> bool:
        return (self.right_passed == self.right and self.wrong_failed == self.wrong
                and self.named_share >= NAMED_GOAL and not self.misnamed)


def names_given(exercise: str, report: GradeReport) -> set[str]:
    """The mistakes a report's hints name: bank mistakes by their hint, generic detections by their words."""
    bank = {mistake.hint: mistake.name for mistake in get_exercise(exercise).mistakes}
    return {name for hint in report.hints for name in (bank.get(hint), detection_named(hint)) if name}


def judge(submission: Submission, seed: int, tally: ExerciseFeedback) -> None:
    """Grade one submission on one seed and count what its verdict and feedback got right."""
    report = grade(submission.source, get_exercise(submission.exercise), seed=seed)
    where = f"{submission.label!r} on seed {seed}"
    if submission.mistake is None:
        tally.right += 1
        tally.right_passed += report.passed
        if not report.passed:
            tally.wrong_verdicts.append(f"{where} failed")
        return
    tally.wrong += 1
    tally.wrong_failed += not report.passed
    if report.passed:
        tally.wrong_verdicts.append(f"{where} passed")
    given = names_given(submission.exercise, report)
    if submission.mistake in given:
        tally.named += 1
    else:
        tally.unnamed.append(where)
    if given - {submission.mistake}:
        tally.misnamed.append(f"{where} called {', '.join(sorted(given - {submission.mistake}))}")


def measure(seeds: Iterable[int], exercises: Iterable[str] = CATALOGUE) -> list[ExerciseFeedback]:
    """Grade every submission of the collection to ``exercises`` on each of ``seeds``."""
    seeds = list(seeds)
    tallies = []
    for exercise in exercises:
        tally = ExerciseFeedback(exercise)
        for submission in submissions([exercise]):
            for seed in seeds:
                judge(submission, seed, tally)
        tallies.append(tally)
    return tallies


def table(tallies: list[ExerciseFeedback]) -> str:
    """A Markdown table of the counts, with a total row."""
    total = ExerciseFeedback("all", *(sum(getattr(t, f) for t in tallies)
                                      for f in ("right", "right_passed", "wrong", "wrong_failed", "named")))
    lines = ["| exercise | right verdicts | wrong verdicts | named | misnamed |", "|---|---|---|---|---|"]
    for t in tallies + [total]:
        misnamed = sum(len(x.misnamed) for x in tallies) if t is total else len(t.misnamed)
        lines.append(f"| {t.exercise} | {t.right_passed}/{t.right} | {t.wrong_failed}/{t.wrong} | "
                     f"{t.named}/{t.wrong} ({t.named_share:.0%}) | {misnamed} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20, help="grade on seeds 0..N-1 (default 20)")
    parser.add_argument("--exercise", action="append", choices=CATALOGUE, help="only this exercise (repeatable)")
    args = parser.parse_args()
    start = time.perf_counter()
    tallies = measure(range(args.seeds), args.exercise or CATALOGUE)
    gradings = sum(t.right + t.wrong for t in tallies)
    print(f"{gradings} gradings on seeds 0..{args.seeds - 1} in {time.perf_counter() - start:.0f} s\n")
    print(table(tallies))
    for t in tallies:
        for kind, items in (("wrong verdict", t.wrong_verdicts), ("misnamed", t.misnamed), ("unnamed", t.unnamed)):
            for item in items:
                print(f"{t.exercise}: {kind}: {item}")
    return 0 if all(t.ok for t in tallies) else 1


if __name__ == "__main__":
    sys.exit(main())
