"""Print a grade report for a person, with Rich: the verdict, score and one diagnosis first, then the case
messages grouped, the traceback, samples, other hints, what was not run, output.

Every string of a report may come from the student (messages quote their exceptions, the
output is theirs), so each is shown as a ``Text`` of ``visible(...)``: Rich markup in it is
not interpreted and terminal escapes in it are shown, not obeyed.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from gradegrad_client.display import visible
from gradegrad_client.summary import diagnosis, group_cases, short_value

OUTPUT_LINES = 20


def plain(value: Any, style: str = "") -> Text:
    """A value as inert text: never markup, never a control sequence."""
    return Text(visible(str(value)), style=style)


def verdict_mark(passed: bool | None) -> Text:
    """✓ or ✗, or – for a verdict the instructor hides."""
    if passed is None:
        return Text("–")
    return Text("✓", style="green") if passed else Text("✗", style="red")


def render_report(report: dict[str, Any], console: Console) -> None:
    """Show a ``gradegrad grade --json`` object (a dict, so a remote result renders the same).

    A case whose verdict the instructor hides has ``passed`` null and counts as not shown.
    """
    cases = report.get("cases", [])
    passed = sum(case["passed"] is True for case in cases)
    shown = sum(case["passed"] is not None for case in cases)
    verdict = Text("PASSED", style="bold green") if report["passed"] else Text("NOT YET", style="bold red")
    counted = f"{passed}/{len(cases)} hidden cases" if shown == len(cases) else f"{len(cases)} hidden cases"
    console.print(Text.assemble(plain(report["exercise"]), ": ", verdict,
                                f"  score {report['score']:.0%} ({counted})"))
    found = diagnosis(report)
    if report.get("error"):
        console.print(Panel(plain(report["error"]), title="Error", border_style="red"))
    elif found:
        console.print(Panel(plain(found), title="What to fix", border_style="cyan"))
    for group in group_cases(cases):
        console.print(Text.assemble(verdict_mark(group.passed), " ", plain(group.line)))
    raised = report.get("samples", []) + cases
    tracebacks = list(dict.fromkeys(c["traceback"] for c in raised if c.get("traceback")))
    for text in tracebacks[:1]:
        console.print(Panel(plain(text.rstrip()), title="Your traceback", border_style="yellow"))
    for sample in report.get("samples", []):
        if not sample["passed"]:
            console.print(sample_panel(sample))
    hints = report.get("hints") or []
    more = hints if report.get("error") else hints[1:]
    if more:
        console.print(Panel(Group(*(plain(f"• {hint}") for hint in more)),
                            title="Hints" if report.get("error") else "Other hints", border_style="cyan"))
    if report.get("notes"):
        console.print(Panel(Group(*(plain(f"• {note}") for note in report["notes"])),
                            title="Not run when graded", border_style="dim"))
    output_panel(console, report.get("output"), "Your output (truncated)")
    if report.get("hidden_output") != report.get("output"):
        output_panel(console, report.get("hidden_output"),
                     "Output of the graded run, hidden cases included (truncated)")


def render_check(check: dict[str, Any], console: Console) -> None:
    """Show a check against the public samples (the API's object): every sample with its expected and got values."""
    samples = check.get("samples", [])
    verdict = Text("EVERY SAMPLE PASSED", style="bold green") if check.get("passed") else Text("NOT YET",
                                                                                              style="bold red")
    passed = sum(sample["passed"] is True for sample in samples)
    console.print(Text.assemble(plain(check["exercise"]), ": ", verdict,
                                f"  {passed}/{len(samples)} public samples (a check: no attempt spent, not graded)"))
    if check.get("error"):
        console.print(Panel(plain(check["error"]), title="Error", border_style="red"))
    for sample in samples:
        console.print(sample_panel(sample))
    tracebacks = list(dict.fromkeys(s["traceback"] for s in samples if s.get("traceback")))
    for text in tracebacks[:1]:
        console.print(Panel(plain(text.rstrip()), title="Your traceback", border_style="yellow"))
    output_panel(console, check.get("output"), "Your output (truncated)")


def output_panel(console: Console, output: str | None, title: str) -> None:
    """The first OUTPUT_LINES lines of an output, if there is any."""
    output = visible(output or "").rstrip()  # first: splitlines() would take a CR that overwrites for a line end
    if output:
        lines = output.splitlines()
        shown = "\n".join(lines[:OUTPUT_LINES]) + ("\n…" if len(lines) > OUTPUT_LINES else "")
        console.print(Panel(plain(shown), title=title, border_style="dim"))


def sample_panel(sample: dict[str, Any]) -> Panel:
    """A public sample, passed or not: it may show inputs, expected and got."""
    lines = [plain(sample["message"])]
    lines += [plain(f"{name} = {value}") for name, value in sample["inputs"].items()]
    lines += [plain(f"expected {label} = {short_value(value)}") for label, value in sample["expected"].items()]
    lines += [plain(f"got      {label} = {short_value(value)}") for label, value in sample["got"].items()]
    mark = "✓" if sample["passed"] else "✗"
    return Panel(Group(*lines), title=plain(f"{mark} Public sample '{sample['name']}'"),
                 border_style="green" if sample["passed"] else "magenta")
