"""Render an exercise statement: Markdown to HTML with its LaTeX turned into MathML on the server."""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert
from markdown_it import MarkdownIt

# $$...$$ first so that its dollars are not read as two inline formulas; \$ is a literal dollar.
MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)(.+?)(?<![\\\s])\$", re.DOTALL)
MARKDOWN = MarkdownIt("commonmark", {"html": False})


def render_statement(text: str) -> str:
    """HTML for a Markdown statement with $...$ and $$...$$ formulas as MathML (no script, no CDN)."""
    formulas: list[str] = []

    def stash(match: re.Match[str]) -> str:
        display, inline = match.group(1), match.group(2)
        formulas.append(mathml(display if display is not None else inline, display is not None))
        return f"MATHPLACEHOLDER{len(formulas) - 1}X"

    rendered = MARKDOWN.render(MATH.sub(stash, text))
    return re.sub(r"MATHPLACEHOLDER(\d+)X", lambda m: formulas[int(m.group(1))], rendered)


def mathml(latex: str, display: bool) -> str:
    try:
        return convert(latex.strip(), display="block" if display else "inline")
    except Exception:  # latex2mathml raises many kinds; a formula it cannot read is shown as its source
        return f"<code>{html.escape(latex)}</code>"
