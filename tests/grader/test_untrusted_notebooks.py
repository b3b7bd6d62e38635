"""A notebook is untrusted input: a malformed one and one that is hard to parse each get a one-line reason.

Parsing runs in a child under grader.limited.PARSE_LIMITS: whatever the input, it costs about a second of
CPU at most, and the caller gets "the source is too complex to parse: ..." instead of a traceback.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.submission import SubmissionError, read_submission

FUNCTION = "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)\n"
GRADEGRAD = [str(Path(sys.executable).parent / "gradegrad")]
NOT_READABLE = "this file is not a readable Jupyter notebook"
TOO_COMPLEX = "the source is too complex to parse"

# Inputs CPython's parser handles badly: quadratic time, or an overflow of its recursion or its stack.
FSTRING_BOMB = 'f"' + "{a}" * 80_000 + '"'
PARSER_BOMBS = [
    ("f-string with 80000 fields", FSTRING_BOMB, f"{TOO_COMPLEX}: it needs more than 1 s of CPU time"),
    ("100000 additions", "1+" * 100_000 + "1",
     f"{TOO_COMPLEX}: cell 2 nests too deeply "
     "(RecursionError: maximum recursion depth exceeded during ast construction)"),
    ("100000 string concatenations", "x = " + "'a' + " * 40_000 + "'a'",
     f"{TOO_COMPLEX}: cell 2 nests too deeply "
     "(RecursionError: maximum recursion depth exceeded during ast construction)"),
    ("100000 unary minuses", "-" * 100_000 + "1",
     f"{TOO_COMPLEX}: cell 2 nests too deeply or needs too much memory (MemoryError)"),
]
# Inputs of the same family the parser refuses or reads quickly: the cell is skipped, saying why.
HARMLESS = [
    ("5000 nested brackets", "(" * 5000 + ")" * 5000,
     "cell 2, line 1: SyntaxError: too many nested parentheses; the cell is skipped"),
    ("60000 implicitly concatenated strings", "x = " + "'a' " * 60_000,
     "cell 2: skipped, `x` is not used by `mse_grad`"),
    ("nested f-strings", 'f"{' * 50 + "1" + '}"' * 50,
     "cell 2, line 1: SyntaxError: f-string: expecting '}'; the cell is skipped"),
    ("a 250000-digit int literal", "x = " + "9" * 250_000,
     "cell 2, line 1: SyntaxError: Exceeds the limit (4300 digits) for integer string conversion: value has 250000 "
     "digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer literals "
     "to avoid decimal conversion limits.; the cell is skipped"),
    ("a NUL character", "x = 1\0",
     "cell 2: SyntaxError: source code string cannot contain null bytes; the cell is skipped"),
]


def notebook(*sources, **top):
    cells = [{"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": s, "outputs": [], "execution_count": None}
             for i, s in enumerate(sources)]
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells, **top}).encode()


def refusal(data):
    with pytest.raises(SubmissionError) as refused:
        read_submission("hw.ipynb", data, "mse_grad")
    return str(refused.value)


@pytest.mark.parametrize(("cell", "reason"), [b[1:] for b in PARSER_BOMBS], ids=[b[0] for b in PARSER_BOMBS])
def test_a_cell_the_parser_chokes_on_is_refused_promptly_as_too_complex(cell, reason):
    started = time.monotonic()
    assert refusal(notebook(FUNCTION, cell)) == reason
    assert time.monotonic() - started < 20  # 1 s of CPU, on a busy machine


@pytest.mark.parametrize(("cell", "note"), [h[1:] for h in HARMLESS], ids=[h[0] for h in HARMLESS])
def test_a_cell_the_parser_refuses_or_reads_quickly_is_skipped_with_the_reason(cell, note):
    program = read_submission("hw.ipynb", notebook(FUNCTION, cell), "mse_grad")
    assert program.notes == (note,)
    assert program.source == f"# cell 1\n{FUNCTION}\n# cell 2\n# {cell}\n"


MALFORMED = [
    ("a code cell without source", json.dumps({"nbformat": 4, "cells": [{"cell_type": "code"}]}),
     "code cell 1 has no 'source'"),
    ("source is a number", notebook(FUNCTION, 5), "code cell 2 has a 'source' that is not text"),
    ("source lines that are not strings", notebook([1, 2]), "code cell 1 has a 'source' that is not text"),
    ("source is an object", notebook({"a": "b"}), "code cell 1 has a 'source' that is not text"),
    ("cells is not a list", notebook() .replace(b'"cells": []', b'"cells": {"a": 1}'), "it has no list of 'cells'"),
    ("no cells", json.dumps({"nbformat": 4}), "it has no list of 'cells'"),
    ("a cell is not an object", json.dumps({"nbformat": 4, "cells": [5]}), "cell 1 is not an object"),
    ("top level is a list", "[1, 2]", "its top level is not a JSON object"),
    ("top level is a string", '"notebook"', "its top level is not a JSON object"),
    ("nbformat 5", json.dumps({"nbformat": 5, "cells": []}), "nbformat version 5 is not one of 1 to 4"),
    ("nbformat as a string", json.dumps({"nbformat": "4", "cells": []}), "nbformat version '4' is not one of 1 to 4"),
    ("no nbformat", json.dumps({"cells": []}), "nbformat version None is not one of 1 to 4"),
    ("nbformat true", json.dumps({"nbformat": True, "cells": []}), "nbformat version True is not one of 1 to 4"),
    ("broken nbformat 3", json.dumps({"nbformat": 3, "worksheets": 7}), "nbformat 3: TypeError"),
    ("100000 nested lists", "[" * 100_000 + "]" * 100_000, "its JSON nests too deeply"),
    ("not JSON", "{ not json", "not JSON: Expecting property name enclosed in double quotes: line 1 column 3 (char 2)"),
]


@pytest.mark.parametrize(("data", "reason"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_a_malformed_notebook_is_refused_with_a_one_line_reason(data, reason):
    data = data.encode() if isinstance(data, str) else data
    assert refusal(data) == f"{NOT_READABLE} ({reason})"


def test_metadata_and_outputs_that_are_off_do_not_stop_grading():
    cell = {"cell_type": "code", "source": FUNCTION, "metadata": 7, "outputs": "none", "execution_count": "x"}
    data = json.dumps({"nbformat": 4, "nbformat_minor": 99, "metadata": [], "cells": [cell, {"source": 3}]})
    assert read_submission("hw.ipynb", data.encode(), "mse_grad").source == f"# cell 1\n{FUNCTION}"


def test_an_nbformat_3_notebook_is_converted():
    cell = {"cell_type": "code", "input": FUNCTION, "language": "python", "outputs": []}
    data = json.dumps({"nbformat": 3, "nbformat_minor": 0, "metadata": {}, "worksheets": [{"cells": [cell]}]})
    assert read_submission("hw.ipynb", data.encode(), "mse_grad").source == f"# cell 1\n{FUNCTION}"


def test_as_many_cells_as_the_upload_limit_holds_are_read():
    cells = [{"cell_type": "code", "source": "x = 1"}] * 6000 + [{"cell_type": "code", "source": FUNCTION}]
    data = json.dumps({"nbformat": 4, "cells": cells}).encode()
    assert 200 * 1024 < len(data) < 256 * 1024
    program = read_submission("hw.ipynb", data, "mse_grad")
    assert program.source == "".join(f"# cell {n}\n# x = 1\n\n" for n in range(1, 6001)) + f"# cell 6001\n{FUNCTION}"
    assert len(program.notes) == 30 and program.notes[-1] == "... and 5971 more notes on skipped code"


def grade_json(path):
    done = subprocess.run([*GRADEGRAD, "grade", "mse_grad", str(path), "--json"], capture_output=True, text=True,
                          timeout=120)
    return done.returncode, json.loads(done.stdout), done.stderr


@pytest.mark.parametrize(("cell", "reason"), [
    (FSTRING_BOMB, f"{TOO_COMPLEX}: it needs more than 1 s of CPU time"),
    ("-" * 100_000 + "1", f"{TOO_COMPLEX}: cell 2 nests too deeply or needs too much memory (MemoryError)"),
    (5, f"{NOT_READABLE} (code cell 2 has a 'source' that is not text)"),
], ids=["f-string bomb", "unary minuses", "source is a number"])
def test_the_command_line_reports_a_bad_notebook_like_any_bad_file(tmp_path, cell, reason):
    path = tmp_path / "bomb.ipynb"
    path.write_bytes(notebook(FUNCTION, cell))
    started = time.monotonic()
    status, report, stderr = grade_json(path)
    assert time.monotonic() - started < 60
    assert status == 0 and stderr == ""
    assert report["error"] == f"Cannot grade bomb.ipynb: {reason}" and report["score"] == 0.0


@pytest.mark.parametrize(("source", "error"), [
    ("1+" * 100_000 + "1", "SyntaxError: RecursionError: maximum recursion depth exceeded during compilation"),
    ("-" * 100_000 + "1", "SyntaxError: MemoryError: "),
], ids=["100000 additions", "100000 unary minuses"])
def test_a_py_file_the_parser_chokes_on_is_compiled_in_the_sandbox_and_reported_in_one_line(tmp_path, source, error):
    """Its analysis gives up in the limited child; the sandbox's CPU and time limits bound its compilation."""
    path = tmp_path / "bomb.py"
    path.write_text(FUNCTION + source + "\n")
    status, report, stderr = grade_json(path)
    assert status == 0 and stderr == ""
    assert report["error"] == error and report["score"] == 0.0
