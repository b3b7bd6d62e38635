"""CSV a spreadsheet opens as data: no cell of ours runs as a formula (OWASP's CSV injection rule).

Excel, LibreOffice and Google Sheets take a cell that starts with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return before one) as a formula, and ``=HYPERLINK(...)`` or ``+cmd|...``
in a user name would run on the instructor's machine. Such a cell is written with a leading
``'``, which the spreadsheet shows as text. Numbers are written as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would read ``text`` in a cell as a formula."""
    return text.startswith(FORMULA_STARTS)


def neutralised(cell: object) -> object:
    """A cell as text a spreadsheet will not run; ints and floats pass unchanged."""
    if isinstance(cell, (int, float)):
        return cell
    text = str(cell)
    return "'" + text if formula_like(text) else text


def csv_text(rows: Iterable[Iterable[object]]) -> str:
    """The rows as CSV, every cell neutralised: the one way the app writes CSV."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([neutralised(cell) for cell in row])
    return out.getvalue()
