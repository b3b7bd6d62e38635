"""Turn an uploaded file into the program to grade, or say precisely why it cannot be graded."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from grader.definitions import TOO_COMPLEX, Part, Program, Ungradable, graded_program, nothing_to_skip
from grader.limited import OverLimit, run_limited
from grader.notebook import notebook_program


class SubmissionError(ValueError):
    """The upload is not something we can grade; the message says why, for the student."""


def read_submission(filename: str, data: bytes, function: str) -> Program:
    """The program to grade from a ``.py`` file or an ``.ipynb`` notebook's bytes, with notes on what was skipped.

    Only what defines ``function`` is kept (see grader.definitions). Both kinds of file are parsed
    in a child under ``grader.limited.PARSE_LIMITS``, so none costs more than about a second of CPU;
    a ``.py`` file that is only imports and functions is not (see nothing_to_skip).
    A notebook that child cannot read, or whose cells define no ``function``, is refused. A ``.py``
    file it cannot analyse (a syntax error, no top-level definition of ``function``, too complex
    to parse) is graded as it is: the sandbox compiles it under its own limits and reports what
    is wrong, a syntax error with its line and column.
    """
    if not data.strip():
        raise SubmissionError("the file is empty")
    if b"\x00" in data:
        raise SubmissionError("the file looks binary (it contains NUL bytes), not Python source or a notebook")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SubmissionError(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position {exc.start}); save it as UTF-8"
        ) from None
    notebook = PurePath(filename).suffix.lower() == ".ipynb"
    if not notebook and nothing_to_skip(text, function):
        return Program(text)
    try:
        answer = run_limited(_program_answer, text, function, notebook)
    except OverLimit as exc:
        if notebook:
            raise SubmissionError(f"{TOO_COMPLEX}: {exc}") from None
        return Program(text)
    if "error" in answer:
        if notebook:
            raise SubmissionError(answer["error"])
        return Program(text)
    return Program(answer["source"], tuple(answer["notes"]))


def _program_answer(text: str, function: str, notebook: bool) -> dict[str, Any]:
    """In the limited child: the program and its notes, or the reason there is none, as JSON can carry them."""
    try:
        program = notebook_program(text, function) if notebook else graded_program([Part(None, text)], function)
    except Ungradable as exc:
        return {"error": str(exc)}
    return {"source": program.source, "notes": list(program.notes)}
