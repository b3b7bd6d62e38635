"""What a viewer sees of a submission: every page and API route goes through ``result_dict``."""

from __future__ import annotations

from typing import Any

from web.late import Deadlines, deadlines_of
from web.models import FINISHED, CaseResult, Submission, User


def result_dict(submission: Submission, viewer: User, deadlines: Deadlines | None = None) -> dict[str, Any]:
    """The API's view of a submission: the grade --json fields once graded, plus id and status.

    What a student may see of the hidden cases is decided here, for every page and route:
    the output printed in the graded run (``hidden_output``) goes to instructors only, and so
    does the rest of the text the code wrote in that run (exception messages, tracebacks, the
    load error): a student sees the report's ``public`` error, samples and case messages
    instead, when it has them. Without them every sample passed, and a student sees each
    sample's expected answer as what the code answered: the digits of an answer below the
    tolerance are the code's to choose, and may carry hidden inputs. With the exercise's
    hidden verdicts off a student sees neither the verdict of each hidden case nor the hints
    those verdicts gave (a public sample's hint stays). The seed, too, is for instructors only.
    """
    deadlines = deadlines or deadlines_of(submission)  # a list passes its student's, read once
    data: dict[str, Any] = {
        "id": submission.id, "exercise": submission.exercise.name, "status": submission.status,
        "filename": submission.filename,
        "created_at": submission.created_at.isoformat() + "Z", "days_late": deadlines.days_late(submission),
        "notes": submission.notes or [],
    }
    if viewer.is_instructor:  # with the deployment's case key, the seed names the hidden cases
        data["seed"] = submission.seed
    if submission.status not in FINISHED:
        return data
    report = submission.report or {}
    public = None if viewer.is_instructor else report.get("public")
    samples = (public or report).get("samples") or []
    if not (public or viewer.is_instructor):  # the graded run's samples, all passed: each shows what it matched
        samples = [{**sample, "got": sample["expected"]} if sample.get("passed") else sample for sample in samples]
    error = public["error"] if public else submission.error
    verdicts_shown = submission.exercise.show_hidden_results or viewer.is_instructor
    if verdicts_shown:
        hints = report.get("hints") or []
    else:
        hints = list(dict.fromkeys(sample["hint"] for sample in samples if sample.get("hint")))
    shown = {case["name"]: case for case in public["cases"]} if public else {}
    data.update(score=submission.score, passed=bool(submission.passed), error=error,
                effective_score=deadlines.effective_score(submission), hints=hints, samples=samples,
                output=report.get("output") or "",
                cases=[case_dict(case, verdicts_shown, shown.get(case.name)) for case in submission.cases])
    if viewer.is_instructor:
        data["hidden_output"] = report.get("hidden_output") or ""
    return data


def case_dict(case: CaseResult, verdict_shown: bool, public: dict[str, Any] | None = None) -> dict[str, Any]:
    """One hidden case; with its verdict hidden, only its name (``passed`` null, ``kind`` "hidden").

    ``public`` is the report's student view of the case, whose message and traceback replace the row's.
    """
    if verdict_shown:
        text = public or {"message": case.message, "traceback": case.traceback}
        return {"name": case.name, "passed": case.passed, "message": text["message"], "kind": case.kind,
                "hint": case.hint, "traceback": text["traceback"]}
    return {"name": case.name, "passed": None, "message": "Hidden by the instructor",
            "kind": "hidden", "hint": None, "traceback": None}
