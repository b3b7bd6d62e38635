"""Plots for the dashboard, drawn on the server as SVG (matplotlib's Figure API, no pyplot, no display)."""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime, timedelta

from matplotlib.figure import Figure


def svg(figure: Figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", bbox_inches="tight")
    return out.getvalue()


def score_histogram(scores: list[float], title: str) -> str:
    """How graded submissions' scores spread over 0-100 %, in ten bins."""
    figure = Figure(figsize=(5, 3))
    axes = figure.subplots()
    axes.hist([100 * s for s in scores], bins=10, range=(0, 100), color="#2451b3", edgecolor="white")
    axes.set(xlabel="score (%)", ylabel="submissions", title=title, xlim=(0, 100))
    return svg(figure)


BUCKETS = ((timedelta(hours=3), timedelta(minutes=10), "10 minutes"), (timedelta(days=3), timedelta(hours=1), "hour"),
           (timedelta.max, timedelta(days=1), "day"))


def submissions_over_time(times: list[datetime], title: str) -> str:
    """Submissions per 10 minutes, hour or day, whichever suits the span of the times."""
    figure = Figure(figsize=(5, 3))
    axes = figure.subplots()
    if times:
        first = min(times)
        size, unit = next((size, unit) for span, size, unit in BUCKETS if max(times) - first <= span)
        counts = Counter(first + size * ((t - first) // size) for t in times)
        # matplotlib's date converter takes datetimes and timedeltas; its stubs type x and width as numbers only
        axes.bar(list(counts), list(counts.values()), width=size * 0.9,  # type: ignore[arg-type]
                 align="edge", color="#1a7f37")
        axes.set(ylabel=f"submissions per {unit}")
        figure.autofmt_xdate()
    else:
        axes.text(0.5, 0.5, "no submissions yet", ha="center", va="center", transform=axes.transAxes)
    axes.set(title=title)
    return svg(figure)
