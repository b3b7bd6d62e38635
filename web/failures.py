"""What went wrong in a submission that matched no named mistake, said by kind: a syntax error, a time limit, an
import the grader does not have, an exception by its class, wrong values or shapes.

The names come from the texts the grader stores (grader/pipeline.py: submission_error, load_error_message and
judge_case; grader/definitions.py for the notes on skipped imports); a text none of them matches is shown as
it is, so a new kind of failure shows up rather than vanishing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from web.models import CaseResult, CourseExercise, Submission

# A submission that could not run at all: its error's opening words, and the failure they name.
ERROR_STARTS = (
    ("SyntaxError", "syntax error"),
    ("Time limit", "time limit"),
    ("CPU time limit", "time limit"),
    ("Memory limit", "memory limit"),
    ("Too much output", "too much output"),
    ("The submission crashed", "crashed"),
    ("The submission exited", "exited early"),
    ("No function named", "function not defined"),
)
KINDS = {"values": "wrong values", "shape": "wrong shape", "nonfinite": "not finite",
         "structure": "not an array of numbers", "mutated": "changed an argument"}
NO_MODULE = re.compile(r"No module named '([^']+)'")
SKIPPED_IMPORT = re.compile(r"`([^`]+)` is not available at grading time")
RAISED = re.compile(r"Raised (\w+)")
LOADING = re.compile(r"The code raised an exception while loading: (\w+)")


def failure_name(kind: str, message: str | None, error: str | None, unavailable: list[str]) -> str:
    """The failure of one case, by name.

    kind, message: the case's verdict (message is read only for exceptions); error: the submission's
    error; unavailable: the imports the grader skipped in it, as its notes quote them.
    """
    if kind == "not_run":
        text = error or ""
        if module := NO_MODULE.search(text):
            return f"import {module.group(1)} is not available"
        if raised := LOADING.match(text):
            return f"raised {raised.group(1)} while loading"
        if "must take the parameters" in text:
            return "wrong parameters"
        if "is defined but is a" in text:
            return "not a function"
        return next((name for start, name in ERROR_STARTS if text.startswith(start)), text[:80] or "not run")
    if kind == "exception":
        raised = RAISED.match(message or "")
        exception = raised.group(1) if raised else "an exception"
        if exception == "NameError" and unavailable:  # the name an import the grader skipped would have bound
            return f"{unavailable[0]} is not available"
        if module := NO_MODULE.search(message or ""):
            return f"import {module.group(1)} is not available"
        return f"raised {exception}"
    return KINDS.get(kind, kind)


def unnamed_failures(session: Session, published: CourseExercise, limit: int = 10) -> list[tuple[str, int]]:
    """The most frequent failures that matched no named mistake, each with the number of submissions that had it
    (a submission counts once per failure, however many of its cases failed so)."""
    rows = session.execute(
        select(Submission.id, Submission.error, CaseResult.kind,
               case((CaseResult.kind == "exception", CaseResult.message), else_=None))
        .distinct().join(CaseResult)
        .where(Submission.exercise_id == published.id, CaseResult.passed.is_(False), CaseResult.mistake.is_(None))
    ).all()
    raised_name_errors = {row[0] for row in rows if row[2] == "exception" and "NameError" in (row[3] or "")}
    skipped: dict[int, list[str]] = defaultdict(list)
    if raised_name_errors:
        for submission_id, notes in session.execute(
                select(Submission.id, Submission.notes).where(Submission.id.in_(raised_name_errors))):
            skipped[submission_id] = [m.group(1) for note in notes or [] if (m := SKIPPED_IMPORT.search(note))]
    names = {(submission_id, failure_name(kind, message, error, skipped[submission_id]))
             for submission_id, error, kind, message in rows}
    return Counter(name for _, name in names).most_common(limit)
