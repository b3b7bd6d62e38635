"""Print a grade report for a person, with Rich: verdicts per case, hints, samples, output."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

OUTPUT_LINES = 20


def render_report(report: dict[str, Any], console: Console) -> None:
    """Show a ``gradegrad grade --json`` object (a dict, so a remote result renders the same)."""
    cases = report.get("cases", [])
    passed = sum(case["passed"] for case in cases)
    verdict = "[bold green]PASSED[/]" if report["passed"] else "[bold red]NOT YET[/]"
    console.print(f"{escape(report['exercise'])}: {verdict}  score {report['score']:.0%} "
                  f"({passed}/{len(cases)} hidden cases)")
    if report.get("error"):
        console.print(Panel(Text(report["error"]), title="Error", border_style="red"))
    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("", width=1)
    table.add_column("hidden case")
    table.add_column("verdict", overflow="fold")
    for case in cases:
        mark = "[green]✓[/]" if case["passed"] else "[red]✗[/]"
        table.add_row(mark, escape(case["name"]), escape(case["message"]))
    if cases:
        console.print(table)
    tracebacks = list(dict.fromkeys(c["traceback"] for c in cases if c.get("traceback")))
    for text in tracebacks[:1]:
        console.print(Panel(Text(text.rstrip()), title="Your traceback", border_style="yellow"))
    for sample in report.get("samples", []):
        if not sample["passed"]:
            console.print(sample_panel(sample))
    if report.get("hints"):
        console.print(Panel(Group(*(Text(f"• {hint}") for hint in report["hints"])), title="Hints",
                            border_style="cyan"))
    output = (report.get("output") or "").rstrip()
    if output:
        lines = output.splitlines()
        shown = "\n".join(lines[:OUTPUT_LINES]) + ("\n…" if len(lines) > OUTPUT_LINES else "")
        console.print(Panel(Text(shown), title="Your output (truncated)", border_style="dim"))


def sample_panel(sample: dict[str, Any]) -> Panel:
    """A failing public sample: it may show inputs, expected and got."""
    lines = [Text(sample["message"])]
    lines += [Text(f"{name} = {value}") for name, value in sample["inputs"].items()]
    lines += [Text(f"expected {label} = {value}") for label, value in sample["expected"].items()]
    lines += [Text(f"got      {label} = {value}") for label, value in sample["got"].items()]
    return Panel(Group(*lines), title=f"Public sample '{sample['name']}'", border_style="magenta")
