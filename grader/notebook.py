"""Read a Jupyter notebook's code cells, as the parts of the program to grade.

Reads untrusted input with the parser: call it through ``grader.submission.read_submission``,
which runs it in a child under CPU, memory and time limits.
"""

from __future__ import annotations

import json
import re
import warnings
from typing import Any

import nbformat

from grader.definitions import Part, Program, Ungradable, graded_program, split_lines

# IPython lines that are not Python: magics (%time, %%writefile), shell escapes (!pip ...),
# help queries (np.sum?) and automagic-free assignments from shell (x = !ls).
IPYTHON_LINE = re.compile(r"^\s*(%|!|\?|\S+\s*=\s*!)|\?\s*$")


class NotebookError(Ungradable):
    """The notebook cannot be read."""


def notebook_program(text: str, function: str) -> Program:
    """What of the notebook defines ``function``, its other code cells commented out, and notes on what was skipped.

    A cell that does not parse (unfinished work, say) is skipped with its line and the error, so one
    broken scratch cell does not fail a notebook whose function is fine.
    """
    parts = []
    for number, source in code_cells(text):
        commands = frozenset(n for n, line in enumerate(split_lines(source), 1) if IPYTHON_LINE.search(line))
        parts.append(Part(number, source, commands, cell_magic=source.lstrip().startswith("%%")))
    return graded_program(parts, function)


def code_cells(text: str) -> list[tuple[int, str]]:
    """(number from 1 among all cells, source) of each code cell, or NotebookError saying what is wrong.

    Only what grading uses is checked (the cells' type and source): a notebook whose metadata or
    outputs are off is still graded.
    """
    notebook = read_version_4(text)
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        raise NotebookError("this file is not a readable Jupyter notebook (it has no list of 'cells')")
    found = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            raise NotebookError(f"this file is not a readable Jupyter notebook (cell {number} is not an object)")
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if not isinstance(source, str):
            what = "has no 'source'" if source is None else "has a 'source' that is not text"
            raise NotebookError(f"this file is not a readable Jupyter notebook (code cell {number} {what})")
        found.append((number, source))
    return found


def read_version_4(text: str) -> dict[str, Any]:
    """The notebook as a version 4 dict; nbformat converts older versions."""
    try:
        notebook = json.loads(text)
    except ValueError as exc:
        raise NotebookError(f"this file is not a readable Jupyter notebook (not JSON: {exc})") from None
    except RecursionError:
        raise NotebookError("this file is not a readable Jupyter notebook (its JSON nests too deeply)") from None
    if not isinstance(notebook, dict):
        raise NotebookError("this file is not a readable Jupyter notebook (its top level is not a JSON object)")
    version = notebook.get("nbformat")
    if version == 4:
        return notebook
    if version not in (1, 2, 3) or isinstance(version, bool):
        raise NotebookError(f"this file is not a readable Jupyter notebook (nbformat version {version!r} "
                            "is not one of 1 to 4)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # nbformat warns about the old file it is converting
            converted = nbformat.reads(text, as_version=4, capture_validation_error={})
    except Exception as exc:  # nbformat raises several unrelated types for a bad file
        raise NotebookError(f"this file is not a readable Jupyter notebook (nbformat {version}: "
                            f"{type(exc).__name__})") from None
    return dict(converted)
