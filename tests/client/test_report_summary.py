"""The terminal report leads with the answer as the result page does: verdict, score, one diagnosis,
then the case messages grouped and sample values printed for reading."""

from __future__ import annotations

import io
from typing import Any

import pytest
from rich.console import Console

from gradegrad_client.render import render_report
from gradegrad_client.summary import diagnosis, group_cases, short_number, short_value

TWICE = "'dy_hat' is twice the true gradient"
HINT = "Keep the factor 1/n."


def report(**fields: Any) -> dict[str, Any]:
    cases = [{"name": f"case {i}", "passed": False, "message": TWICE, "kind": "values", "hint": HINT,
              "traceback": None} for i in range(10)]
    sample = {"name": "two points", "passed": False, "message": TWICE, "hint": HINT, "inputs": {"y": [0.1, 0.3]},
              "expected": {"dy_hat": [-0.3999999999999999]}, "got": {"dy_hat": [-0.7999999999999998]},
              "traceback": None}
    return {"exercise": "mse_grad", "score": 0.0, "passed": False, "error": None, "hints": [HINT],
            "cases": cases, "samples": [sample], "output": "", "hidden_output": "", "notes": [], **fields}


def rendered(value: dict[str, Any]) -> str:
    out = io.StringIO()
    render_report(value, Console(file=out, width=200, color_system=None))
    return out.getvalue()


@pytest.mark.parametrize(("value", "shown"), [
    (-0.3999999999999999, "-0.4"), (4.000000000000001, "4.0"), (-0.0, "-0.0"), (123456789.0, "1.23457e+08"),
    (1e-7, "1e-07"), (float("nan"), "nan"), (float("-inf"), "-inf"), (0.1234564, "0.123456"),
], ids=["rounding noise", "integral float", "negative zero", "large", "small", "nan", "infinity", "six digits"])
def test_short_number_keeps_six_significant_digits_and_stays_a_float(value, shown):
    assert short_number(value) == shown


def test_short_value_formats_nested_lists_and_leaves_other_values_as_they_are():
    assert short_value([[-0.3999999999999999, 3], ["NaN", None, True]]) == "[[-0.4, 3], [NaN, None, True]]"


def test_the_diagnosis_is_the_error_else_the_first_hint():
    assert diagnosis(report()) == HINT
    assert diagnosis(report(error="SyntaxError: invalid syntax")) == "SyntaxError: invalid syntax"
    assert diagnosis(report(hints=[])) is None


def test_cases_group_by_verdict_and_message_failures_first():
    cases = [{"passed": True, "message": "Right"}, {"passed": None, "message": "Hidden by the instructor"},
             {"passed": False, "message": TWICE}, {"passed": False, "message": TWICE}]
    assert [group.line for group in group_cases(cases)] == [
        f"2 of 4 hidden cases: {TWICE}", "1 of 4 hidden cases: Hidden by the instructor", "1 of 4 hidden cases: Right"]


def test_the_terminal_report_leads_with_the_diagnosis_and_groups_ten_identical_messages():
    text = rendered(report(hints=[HINT, "Another hint."]))
    lines = text.splitlines()
    assert lines[0] == "mse_grad: NOT YET  score 0% (0/10 hidden cases)"
    assert "What to fix" in lines[1] and HINT in lines[2]
    assert text.count(TWICE) == 2 and f"✗ 10 of 10 hidden cases: {TWICE}" in text  # the group, the sample
    assert "expected dy_hat = [-0.4]" in text and "got      dy_hat = [-0.8]" in text
    assert "0.3999999999999999" not in text and "y = [0.1, 0.3]" in text
    assert "Other hints" in text and "• Another hint." in text
