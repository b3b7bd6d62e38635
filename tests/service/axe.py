"""axe-core in the browser tests: audit a page as it stands and fail on its serious and critical violations."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

AXE = Path(__file__).resolve().parents[2] / "web" / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core from npm (web/frontend's devDependencies), installed by `npm ci` as `make test` runs it."""

SERIOUS_VIOLATIONS = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
    .filter(rule => rule.impact === "serious" || rule.impact === "critical")
    .flatMap(rule => rule.nodes.map(node => ({rule: rule.id, impact: rule.impact, help: rule.help,
                                               target: node.target.join(" "), html: node.html})))"""


def serious_violations(page: Any, axe_source: str) -> list[str]:
    """Each serious or critical violation on ``page``, as "<impact> <rule> on <path>: <element> <html> (<help>)".

    axe is evaluated through the DevTools protocol, which the pages' CSP does not govern: add_script_tag writes
    an inline script that their ``script-src 'self'`` refuses, and a context that bypassed the CSP would no
    longer show what it refuses.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    path = urlsplit(page.url).path
    return [f"{found['impact']} {found['rule']} on {path}: {found['target']} {found['html']} ({found['help']})"
            for found in page.evaluate(SERIOUS_VIOLATIONS)]


def assert_accessible(page: Any, axe_source: str, scripts: bool = True) -> None:
    """Fail with every serious or critical violation of ``page``. A page of a context without JavaScript
    (``scripts=False``), where axe cannot run (its timers never fire), is audited as a twin: the same URL, with
    the same cookies, in a context whose own scripts are refused, as that page loaded it."""
    if scripts:
        found = serious_violations(page, axe_source)
    else:
        twin_context = page.context.browser.new_context(storage_state=page.context.storage_state(),
                                                        viewport=page.viewport_size)
        try:
            twin_context.route("**/*.js", lambda route: route.abort())
            twin = twin_context.new_page()
            twin.goto(page.url)
            found = serious_violations(twin, axe_source)
        finally:
            twin_context.close()
    assert not found, "axe-core: serious or critical violations\n" + "\n".join(found)
