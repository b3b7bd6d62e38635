"""Extract a submission's source from a Jupyter notebook's code cells.

Reads untrusted input with the parser: call it through ``grader.submission.read_submission``,
which runs it in a child under CPU, memory and time limits.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from typing import Any

import nbformat

# IPython lines that are not Python: magics (%time, %%writefile), shell escapes (!pip ...),
# help queries (np.sum?) and automagic-free assignments from shell (x = !ls).
IPYTHON_LINE = re.compile(r"^\s*(%|!|\?|\S+\s*=\s*!)|\?\s*$")
TOO_COMPLEX = "the source is too complex to parse"


class NotebookError(ValueError):
    """The notebook cannot be read, or none of its cells define the function."""


def notebook_source(text: str, function: str) -> str:
    """The code of every cell that parses, magics dropped, if any cell defines ``function``.

    Cells that do not parse on their own (say, unfinished work) are left out, so one broken
    scratch cell does not fail a notebook whose function is fine.
    """
    cells, defined = [], set()
    for number, source in code_cells(text):
        if source.lstrip().startswith("%%"):
            continue  # a cell magic makes the whole cell something other than Python
        code = "\n".join(line for line in source.splitlines() if not IPYTHON_LINE.search(line))
        tree = parse_or_none(code, f"cell {number}")
        if tree is None:
            continue
        cells.append(code)
        defined |= defined_names(tree)
    if function not in defined:
        raise NotebookError(f"no code cell of this notebook defines a function named '{function}'")
    return "\n\n".join(cells) + "\n"


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


def parse_or_none(code: str, where: str) -> ast.Module | None:
    """The tree of ``code``, or None if it does not parse; NotebookError when parsing it overflows.

    ``where`` names the code in the message ("cell 3").
    """
    try:
        return ast.parse(code)
    except (SyntaxError, ValueError):  # ValueError: a NUL character, on Python 3.11
        return None
    except RecursionError as exc:
        raise NotebookError(f"{TOO_COMPLEX}: {where} nests too deeply (RecursionError: {exc})") from None
    except MemoryError:
        raise NotebookError(f"{TOO_COMPLEX}: {where} nests too deeply or needs too much memory "
                            "(MemoryError)") from None


def defined_names(tree: ast.Module) -> set[str]:
    """Names bound anywhere in ``tree`` by a def or a plain assignment."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return names
