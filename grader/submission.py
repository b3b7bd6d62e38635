"""Turn an uploaded file into Python source, or say precisely why it cannot be graded."""

from __future__ import annotations

from pathlib import PurePath

from grader.notebook import NotebookError, notebook_source


class SubmissionError(ValueError):
    """The upload is not something we can grade; the message says why, for the student."""


def read_submission(filename: str, data: bytes, function: str) -> str:
    """The source to grade from a ``.py`` file or an ``.ipynb`` notebook's bytes."""
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
            return notebook_source(text, function)
        except NotebookError as exc:
            raise SubmissionError(str(exc)) from None
    return text
