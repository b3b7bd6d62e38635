"""The late policy: how many days late a submission came, and its score after the penalty."""

from __future__ import annotations

import math
from datetime import timedelta

from web.models import Submission


def days_late(submission: Submission) -> int:
    due = submission.exercise.due_at
    if due is None or submission.created_at <= due:
        return 0
    return math.ceil((submission.created_at - due) / timedelta(days=1))


def effective_score(submission: Submission) -> float | None:
    """The score with the late policy applied."""
    if submission.score is None:
        return None
    penalty = (submission.exercise.late_penalty_per_day or 0.0) * days_late(submission)
    return submission.score * max(0.0, 1.0 - penalty)
