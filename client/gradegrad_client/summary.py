"""What a grade report says first: its one diagnosis, its case messages grouped, its numbers as a person reads them.

The terminal (render.py) and the web's result page both lead with these, so they say the same.
Display only: the report's stored values and the API's numbers keep every digit.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

# Enough digits to tell a right value from a wrong one by eye; the tolerance, not the display, decides.
SIGNIFICANT_DIGITS = 6


def diagnosis(report: dict[str, Any]) -> str | None:
    """The one thing to fix first: the error that stopped the submission, else its first hint (the
    named mistake's, or the factor shared by every wrong value; explain_together gives every failing
    case the same one)."""
    if report.get("error"):
        return str(report["error"])
    hints = report.get("hints") or []
    return str(hints[0]) if hints else None


@dataclass(frozen=True)
class CaseGroup:
    """The hidden cases that share a verdict and a message."""

    passed: bool | None  # None: the verdict is hidden by the instructor
    message: str
    count: int
    total: int

    @property
    def line(self) -> str:
        return f"{self.count} of {self.total} hidden cases: {self.message}"


def group_cases(cases: list[dict[str, Any]]) -> list[CaseGroup]:
    """One group per (verdict, message), failures first, then hidden verdicts, then passes; in
    each, the order the cases first gave the message."""
    counts = Counter((case["passed"], case["message"]) for case in cases)
    order = {False: 0, None: 1, True: 2}
    return sorted((CaseGroup(passed, message, count, len(cases)) for (passed, message), count in counts.items()),
                  key=lambda group: order[group.passed])


def short_number(value: float) -> str:
    """``-0.4`` for -0.3999999999999999: SIGNIFICANT_DIGITS digits, trailing zeros trimmed, a float
    still written as one (``2.0``, not ``2``)."""
    text = f"{value:.{SIGNIFICANT_DIGITS}g}"
    return text + ".0" if text.lstrip("-").isdigit() else text


def short_value(value: Any) -> str:
    """A sample's input, expected or got value (nested lists of numbers, as in the report) for reading."""
    if isinstance(value, float):
        return short_number(value)
    if isinstance(value, list):
        return "[" + ", ".join(short_value(item) for item in value) + "]"
    return str(value)
