"""Student text made safe to show on a terminal or a page.

Whatever a submission printed or raised, and the file name it was sent under, may hold
terminal escapes (ESC [2J clears the screen, then a forged "PASSED" line follows), carriage
returns that overwrite a line, and invisible Unicode (U+202E reverses the text after it).
``visible`` keeps newlines and tabs and shows every other such character as a symbol or an
escape, so what the reader sees is what the student wrote, never what it would do.
"""

from __future__ import annotations

import re
import unicodedata

# Candidates only: everything outside printable ASCII, newline and tab; unicodedata decides.
_CANDIDATE = re.compile(r"[^\t\n\x20-\x7e]")
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
CONTROL_PICTURES = 0x2400  # U+2400 ␀ ... U+241F ␟: the picture of each C0 control character


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if code < 0x20:
        return chr(CONTROL_PICTURES + code)
    if code == 0x7F:
        return "\u2421"  # ␡
    if unicodedata.category(char) in _HIDDEN_CATEGORIES:
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    return char


def visible(text: str) -> str:
    """``text`` with control, format and other invisible characters shown, not obeyed.

    C0 controls become their control pictures (ESC is ␛, CR is ␍, NUL is ␀), DEL is ␡, and
    C1 controls, bidirectional overrides, zero-width and other format characters, line and
    paragraph separators and unassigned code points are spelled as ``\\uXXXX``. Newline and
    tab are kept.
    """
    return _CANDIDATE.sub(_shown, text)
