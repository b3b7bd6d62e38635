"""The result page's reading order: the answer first (verdict, score, one diagnosis), then the detail.

The page's templates call these, and the client's summary functions, as template globals and
filters that the student blueprint registers; they only arrange what ``result_dict`` decided a
viewer may see.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from gradegrad_client.summary import diagnosis, group_cases, short_value


def first_traceback(result: dict[str, Any]) -> str | None:
    """The first traceback the viewer may see: the public samples' (the code's own run on them),
    else a hidden case's; the others repeat it or follow from it."""
    raised = [*result.get("samples", []), *result.get("cases", [])]
    return next((item["traceback"] for item in raised if item.get("traceback")), None)


def code_lines(source: str) -> list[str]:
    """The source's lines numbered as Python's tracebacks number them (a newline ends a line; a
    form feed or U+2028 does not), without the empty line after a final newline."""
    lines = source.split("\n")
    return lines[:-1] if len(lines) > 1 and lines[-1] == "" else lines


def register(bp: Blueprint) -> None:
    """Make the helpers available to every template once ``bp`` is registered on the app."""
    for helper in (diagnosis, group_cases, first_traceback, code_lines):
        bp.add_app_template_global(helper)
    bp.add_app_template_filter(short_value, "short")
