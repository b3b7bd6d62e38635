"""Plots for the dashboard, drawn on the server as SVG (matplotlib's Figure API, no pyplot, no display).

Text is kept as SVG text, not drawn as paths: it stays sharp, can be selected and read by a screen reader, and
the file is smaller. Counts get whole-number ticks only.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import datetime, timedelta

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

EMPTY = "no submissions yet"
MAX_BARS = 40
MIN_BARS = 10  # room on the axis for this many bars: a lone submission is one narrow bar, not a full-width block
# Bar widths for submissions over time, from the narrowest: the first that covers the span in MAX_BARS bars.
WIDTHS = tuple((timedelta(minutes=m), unit) for m, unit in (
    (1, "minute"), (5, "5 minutes"), (10, "10 minutes"), (30, "30 minutes"), (60, "hour"), (180, "3 hours"),
    (360, "6 hours"), (1440, "day"), (10080, "week")))


def svg(figure: Figure) -> str:
    out = io.StringIO()
    with rc_context({"svg.fonttype": "none"}):
        figure.savefig(out, format="svg", bbox_inches="tight")
    return out.getvalue()


def say_empty(axes: Axes) -> None:
    """An empty plot says so, with no axes whose made-up range (-0.04 to 0.04) would look like data."""
    axes.text(0.5, 0.5, EMPTY, ha="center", va="center", transform=axes.transAxes, color="#5b6472")
    axes.set_axis_off()


def score_histogram(scores: list[float], title: str) -> str:
    """How graded submissions' scores spread over 0-100 %, in ten bins."""
    figure = Figure(figsize=(5, 3))
    axes = figure.subplots()
    axes.set_title(title)
    if not scores:
        say_empty(axes)
        return svg(figure)
    axes.hist([100 * s for s in scores], bins=10, range=(0, 100), color="#2451b3", edgecolor="white")
    axes.set(xlabel="score", ylabel="submissions", xlim=(0, 100), xticks=range(0, 101, 20))
    axes.xaxis.set_major_formatter(PercentFormatter())
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    return svg(figure)


def bar_width(times: list[datetime]) -> tuple[timedelta, str]:
    """The narrowest bar width (and its name) that shows the span of ``times`` in at most MAX_BARS bars."""
    span = max(times) - min(times)
    return next(((width, unit) for width, unit in WIDTHS if span < width * MAX_BARS), WIDTHS[-1])


def submissions_over_time(times: list[datetime], title: str) -> str:
    """Submissions per minute, hour, day..., whichever bar shows the span of the times in at most MAX_BARS bars."""
    figure = Figure(figsize=(5, 3))
    axes = figure.subplots()
    axes.set_title(title)
    if not times:
        say_empty(axes)
        return svg(figure)
    width, unit = bar_width(times)
    start = datetime.min + width * ((min(times) - datetime.min) // width)  # bars begin on whole minutes, hours...
    counts = Counter(start + width * ((t - start) // width) for t in times)
    # matplotlib's date converter takes datetimes and timedeltas; its stubs type x and width as numbers only
    bars = axes.bar(list(counts), list(counts.values()), width=width * 0.9,  # type: ignore[arg-type]
                    align="edge", color="#1a7f37")
    for number, bar in enumerate(bars, start=1):
        bar.set_gid(f"bar-{number}")
    axes.set(ylabel=f"submissions per {unit}")
    axes.set_xlim(start, max(max(counts) + width, start + width * MIN_BARS))  # type: ignore[arg-type]
    locator = AutoDateLocator(maxticks=6)
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    return svg(figure)
