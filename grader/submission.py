"""Turn an uploaded file into Python source, or say precisely why it cannot be graded."""

from __future__ import annotations

from pathlib import PurePath

from grader.limited import OverLimit, run_limited
from grader.notebook import TOO_COMPLEX, NotebookError, notebook_source


class SubmissionError(ValueError):
    """The upload is not something we can grade; the message says why, for the student."""


def read_submission(filename: str, data: bytes, function: str) -> str:
    """The source to grade from a ``.py`` file or an ``.ipynb`` notebook's bytes.

    A ``.py`` file is not parsed here: the sandbox compiles it under its own limits and reports a
    syntax error with its line. A notebook is read and its cells parsed in a child under
    ``grader.limited.PARSE_LIMITS``, so no notebook costs more than about a second of CPU.
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
    if PurePath(filename).suffix.lower() == ".ipynb":
        try:
            answer = run_limited(_notebook_answer, text, function)
        except OverLimit as exc:
            raise SubmissionError(f"{TOO_COMPLEX}: {exc}") from None
        if "error" in answer:
            raise SubmissionError(answer["error"])
        return answer["source"]
    return text


def _notebook_answer(text: str, function: str) -> dict[str, str]:
    """In the limited child: the notebook's source, or the reason it has none, as JSON can carry it."""
    try:
        return {"source": notebook_source(text, function)}
    except NotebookError as exc:
        return {"error": str(exc)}
