"""The result of grading one submission, as the CLI, the worker and the web show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CaseReport:
    """The verdict on one case; ``message`` never holds a hidden case's expected values.

    kind: "right", "values" (numbers wrong), "shape", "nonfinite", "structure" (not an
    array where one belongs), "exception", "not_run" or "mutated" (the function changed
    an argument in place, whatever its values).
    """

    name: str
    passed: bool
    message: str
    kind: str = "right"
    hint: str | None = None
    traceback: str | None = None


@dataclass
class SampleReport:
    """A public sample case: its inputs and expected answer may be shown."""

    name: str
    passed: bool
    message: str
    inputs: dict[str, Any]
    expected: dict[str, Any]
    got: dict[str, Any]
    hint: str | None = None
    traceback: str | None = None


@dataclass
class PublicView:
    """What a student is shown in place of the graded run's error, samples and hidden cases.

    The graded run's process holds every hidden input from the start, so anything the student's
    code writes in it (an exception's message or type name, a traceback, an answer to a sample)
    may carry them. This view holds none of it: the error and samples come from a run of the
    public samples alone, and a hidden case that raised says only which of Python's or numpy's
    exceptions it was (else "an exception") and the line of the student's file it left from.
    ``cases`` are one ``{"name", "message", "traceback"}`` per hidden case, in order.
    """

    error: str | None
    samples: list[SampleReport]
    cases: list[dict[str, Any]]


@dataclass
class CheckReport:
    """A check against the public samples alone (``grader.pipeline.check_samples``): no score, no hidden case.

    Its run held the samples' inputs and nothing else, so everything the code wrote in it (its
    answers, exceptions, tracebacks and output) may be shown to the student as it is.
    """

    exercise: str
    passed: bool
    samples: list[SampleReport]
    error: str | None = None
    output: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {**vars(self), "samples": [dict(vars(sample)) for sample in self.samples]}


@dataclass
class GradeReport:
    exercise: str
    score: float
    passed: bool
    cases: list[CaseReport]
    error: str | None = None
    hints: list[str] = field(default_factory=list)
    samples: list[SampleReport] = field(default_factory=list)
    output: str = ""  # printed on the public samples alone: the student may see it
    seed: int = 0
    hidden_output: str = ""  # printed in the graded run, hidden cases included: instructors and local runs only
    public: PublicView | None = None  # a student's error, samples and cases; None: no text, every sample passed
    notes: list[str] = field(default_factory=list)  # what of the upload was skipped, and why: from the upload alone

    def to_dict(self) -> dict[str, Any]:
        """The ``gradegrad grade --json`` object of the contract (and a few added fields).

        Field by field rather than dataclasses.asdict(), whose deep copy of every sample's inputs
        cost more than the rest of a grading's bookkeeping.
        """
        return {**vars(self), "cases": [dict(vars(case)) for case in self.cases],
                "hints": list(self.hints), "notes": list(self.notes),
                "samples": [dict(vars(sample)) for sample in self.samples],
                "public": None if self.public is None else {
                    "error": self.public.error, "cases": [dict(case) for case in self.public.cases],
                    "samples": [dict(vars(sample)) for sample in self.public.samples]}}
