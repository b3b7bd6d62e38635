"""A grade report in Gradescope's autograder ``results.json`` format."""

from __future__ import annotations

from typing import Any

from grader.report import GradeReport


def gradescope_results(report: GradeReport, max_score: float = 1.0) -> dict[str, Any]:
    """One test per hidden case, each worth an equal share of ``max_score``.

    Hidden cases are ``after_published`` so a case's verdict appears with the grades, as on
    any Gradescope assignment; their messages never hold expected values anyway. Students read
    these results, so the messages and error are the report's public view when it has one.
    """
    share = max_score / len(report.cases) if report.cases else 0.0
    public = report.public
    messages = [c["message"] for c in public.cases] if public else [c.message for c in report.cases]
    tests = [
        {
            "name": case.name,
            "score": share if case.passed else 0.0,
            "max_score": share,
            "output": message + (f"\nHint: {case.hint}" if case.hint else ""),
            "visibility": "after_published",
        }
        for case, message in zip(report.cases, messages, strict=True)
    ]
    error = public.error if public else report.error
    output = error or ("All hidden cases pass." if report.passed else "\n".join(report.hints))
    return {
        "score": round(report.score * max_score, 6),
        "max_score": max_score,
        "output": output,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }
