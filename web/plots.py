"""Plots for the dashboard, drawn on the server as SVG (matplotlib's Figure API, no pyplot, no display)."""

from __future__ import annotations

import io
from datetime import datetime

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


def submissions_over_time(times: list[datetime], title: str) -> str:
    """Submissions per hour (per day when they span more than two days)."""
    figure = Figure(figsize=(5, 3))
    axes = figure.subplots()
    if times:
        span_hours = (max(times) - min(times)).total_seconds() / 3600
        unit = "hour" if span_hours <= 48 else "day"
        keys = [t.replace(minute=0, second=0, microsecond=0) if unit == "hour"
                else t.replace(hour=0, minute=0, second=0, microsecond=0) for t in times]
        buckets = sorted(set(keys))
        axes.bar(buckets, [keys.count(b) for b in buckets], width=(1 / 24 if unit == "hour" else 0.8) * 0.9,
                 color="#1a7f37")
        axes.set(ylabel=f"submissions per {unit}")
        figure.autofmt_xdate()
    else:
        axes.text(0.5, 0.5, "no submissions yet", ha="center", va="center", transform=axes.transAxes)
    axes.set(title=title)
    return svg(figure)
