"""Extract a submission's source from a Jupyter notebook's code cells."""

from __future__ import annotations

import ast
import re

import nbformat

# IPython lines that are not Python: magics (%time, %%writefile), shell escapes (!pip ...),
# help queries (np.sum?) and automagic-free assignments from shell (x = !ls).
IPYTHON_LINE = re.compile(r"^\s*(%|!|\?|\S+\s*=\s*!)|\?\s*$")


class NotebookError(ValueError):
    """The notebook cannot be read, or none of its cells define the function."""


def notebook_source(text: str, function: str) -> str:
    """The code of every cell that parses, magics dropped, if any cell defines ``function``.

    Cells that do not parse on their own (say, unfinished work) are left out, so one broken
    scratch cell does not fail a notebook whose function is fine.
    """
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for a bad file
        raise NotebookError(f"this file is not a readable Jupyter notebook ({type(exc).__name__})") from None
    cells = []
    for cell in notebook.cells:
        if cell.get("cell_type") != "code":
            continue
        if cell.source.lstrip().startswith("%%"):
            continue  # a cell magic makes the whole cell something other than Python
        code = "\n".join(line for line in cell.source.splitlines() if not IPYTHON_LINE.search(line))
        try:
            ast.parse(code)
        except SyntaxError:
            continue
        cells.append(code)
    source = "\n\n".join(cells) + "\n"
    if not _defines(source, function):
        raise NotebookError(f"no code cell of this notebook defines a function named '{function}'")
    return source


def _defines(source: str, function: str) -> bool:
    return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Assign)) and (
        getattr(node, "name", None) == function
        or any(isinstance(t, ast.Name) and t.id == function for t in getattr(node, "targets", ())))
        for node in ast.walk(ast.parse(source)))
