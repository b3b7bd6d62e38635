"""Notebooks: the function's code cells are graded; magics, shell lines and broken cells are skipped with a note."""

import nbformat
import pytest

from exercises import get_exercise
from grader.pipeline import grade
from grader.submission import SubmissionError, read_submission


def notebook(*cells, markdown="# My work"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(markdown)] + [nbformat.v4.new_code_cell(c) for c in cells]
    return nbformat.writes(nb).encode()


def test_notebook_with_magics_and_shell_lines_grades():
    data = notebook(
        "%matplotlib inline\n!pip install numpy\nimport numpy as np",
        "%%time\nthis cell is timed and not Python",
        "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)",
        "mse_grad?",
        "mse_grad(np.ones(2), np.zeros(2))",
    )
    program = read_submission("hw.ipynb", data, "mse_grad")
    assert grade(program.source, get_exercise("mse_grad"), seed=1).passed
    assert list(program.notes) == [
        "cell 2, line 1: skipped, `%matplotlib inline` is an IPython command, not Python",
        "cell 2, line 2: skipped, `!pip install numpy` is an IPython command, not Python",
        "cell 3: `%%time` makes it an IPython cell magic, not Python; the cell is skipped",
        "cell 5, line 1: skipped, `mse_grad?` is an IPython command, not Python",
        "cell 6: skipped, it calls mse_grad",
    ]


def test_unfinished_scratch_cell_does_not_fail_the_notebook():
    data = notebook("import numpy as np", "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)",
                    "for i in range(3):\n")
    program = read_submission("hw.ipynb", data, "mse_grad")
    assert grade(program.source, get_exercise("mse_grad"), seed=1).passed
    assert list(program.notes) == [
        "cell 4, line 1: SyntaxError: expected an indented block after 'for' statement on line 1; the cell is skipped"]


def test_notebook_without_the_function_is_a_clear_error():
    data = notebook("import numpy as np", "def mse(y_hat, y):\n    return y_hat - y")
    with pytest.raises(SubmissionError, match="no code cell of this notebook defines a function named 'mse_grad'"):
        read_submission("hw.ipynb", data, "mse_grad")


def test_file_that_is_not_a_notebook_is_a_clear_error():
    with pytest.raises(SubmissionError, match="not a readable Jupyter notebook"):
        read_submission("hw.ipynb", b"{ not json", "mse_grad")


@pytest.mark.parametrize("data, words", [
    (b"", "the file is empty"),
    (b"   \n\n", "the file is empty"),
    (b"\x7fELF\x02\x01\x00\x00", "looks binary"),
    ("def mse_grad(y_hat, y):  # \u00e9\n".encode("latin-1"), "not UTF-8 text (byte 0xe9 at position 27)"),
], ids=["empty", "blank", "binary", "latin-1"])
def test_unreadable_python_files_are_refused_with_the_reason(data, words):
    with pytest.raises(SubmissionError, match=words.replace("(", r"\(").replace(")", r"\)")):
        read_submission("hw.py", data, "mse_grad")
