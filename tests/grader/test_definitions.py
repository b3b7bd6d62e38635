"""A notebook or a .py file is graded by what defines its function: the rest is skipped, each part with a note.

Every skipped part here would fail or stall the grading if it ran: matplotlib, tqdm and IPython are
not in the jail, data.csv does not exist there, the self-check assert fails, and the training
loop calls the function a million times, past the time limit.
"""

import nbformat
import pytest

from exercises import get_exercise
from grader.pipeline import grade
from grader.submission import SubmissionError, read_submission

RIGHT = "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)"
WRONG = "def mse_grad(y_hat, y):\n    return (y_hat - y) / len(y)"


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Homework 2")] + [nbformat.v4.new_code_cell(c) for c in cells]
    return nbformat.writes(nb).encode()


def graded(filename, data):
    program = read_submission(filename, data, "mse_grad")
    return program, grade(program.source, get_exercise("mse_grad"), seed=1, notes=program.notes)


HOMEWORK = notebook(
    "%matplotlib inline\nimport numpy as np\nimport matplotlib.pyplot as plt\nfrom tqdm import tqdm\n"
    "from IPython.display import display",
    "TWO = 2.0\n\ndef scale(v):\n    return TWO * v",
    "def mse_grad(y_hat, y):\n    return scale(y_hat - y) / len(y)",
    "x = np.linspace(0, 1, 50)\nplt.plot(x, mse_grad(x, 0 * x))\nplt.show()",
    "w = np.zeros(50)\nfor step in tqdm(range(10**6)):\n    w -= 0.1 * mse_grad(w, x)",
    "assert mse_grad(np.ones(1), np.zeros(1))[0] == 3, 'self-check'",
    "display(w)",
    "data = np.loadtxt('data.csv')",
)


def test_a_homework_notebook_is_graded_on_its_function_and_says_what_it_skipped():
    program, report = graded("hw.ipynb", HOMEWORK)
    assert report.passed and report.error is None
    assert report.notes == list(program.notes) == [
        "cell 2, line 1: skipped, `%matplotlib inline` is an IPython command, not Python",
        "cell 2, line 3: skipped, `import matplotlib.pyplot` is not available at grading time",
        "cell 2, line 4: skipped, `from tqdm import tqdm` is not available at grading time",
        "cell 2, line 5: skipped, `from IPython.display import display` is not available at grading time",
        "cell 5, line 1: skipped, `x` is not used by `mse_grad`",
        "cell 5, line 2: skipped, it calls plt.plot",
        "cell 5, line 3: skipped, it calls plt.show",
        "cell 6, line 1: skipped, `w` is not used by `mse_grad`",
        "cell 6, lines 2-3: skipped, it is a loop (it calls mse_grad)",
        "cell 7: skipped, it is a self-check `assert`",
        "cell 8: skipped, it calls display",
        "cell 9: skipped, `data` is not used by `mse_grad`",
    ]
    assert report.to_dict()["notes"] == list(program.notes)


def test_the_graded_program_shows_each_cell_with_what_was_skipped_commented_out():
    program, _ = graded("hw.ipynb", notebook("import numpy as np\nimport matplotlib.pyplot as plt", RIGHT,
                                             "plt.plot(mse_grad(np.ones(3), np.zeros(3)))"))
    assert program.source == ("# cell 2\nimport numpy as np\n# import matplotlib.pyplot as plt\n\n"
                              f"# cell 3\n{RIGHT}\n\n"
                              "# cell 4\n# plt.plot(mse_grad(np.ones(3), np.zeros(3)))\n")


HOMEWORK_PY = '''"""Homework 2."""
import numpy as np
import matplotlib.pyplot as plt

EPS = 1e-12
rate = 0.1


@np.vectorize
def same(v, tiny=EPS):
    return v + 0.0 * tiny


double = lambda v: 2 * v


def mse_grad(y_hat, y):
    x = same(y_hat - y)
    return double(x) / len(y)


x = np.loadtxt("data.csv")
plt.plot(x, mse_grad(x, x))
assert mse_grad(np.ones(1), np.zeros(1))[0] == 3

if __name__ == "__main__":
    for _ in range(10**6):
        mse_grad(x, x)
'''


def test_a_py_file_keeps_its_definitions_in_place_and_skips_the_rest():
    program, report = graded("hw.py", HOMEWORK_PY.encode())
    assert report.passed and report.error is None
    assert list(program.notes) == [
        "line 3: skipped, `import matplotlib.pyplot` is not available at grading time",
        "line 6: skipped, `rate` is not used by `mse_grad`",
        "line 22: skipped, `x` is not used by `mse_grad`",
        "line 23: skipped, it calls plt.plot",
        "line 24: skipped, it is a self-check `assert`",
        'lines 26-28: skipped, it runs only when the file is run as a script (`if __name__ == "__main__":`)',
    ]
    kept, written = program.source.splitlines(), HOMEWORK_PY.splitlines()
    assert len(kept) == len(written)  # an error's line number is the line of the file
    assert [line for line in kept if line.startswith("# ")] == [f"# {written[n - 1]}" for n in (3, 6, 22, 23, 24,
                                                                                               26, 27, 28)]


def test_a_syntax_error_in_a_scratch_cell_names_its_cell_and_line_and_skips_it():
    broken = "total = 0\nfor v in range(3):\n    total += = v"
    program, report = graded("hw.ipynb", notebook("import numpy as np", RIGHT, broken))
    assert report.passed
    assert list(program.notes) == ["cell 4, line 3: SyntaxError: invalid syntax; the cell is skipped"]


def test_a_syntax_error_in_the_functions_cell_refuses_the_notebook_naming_cell_and_line():
    broken = "import numpy as np\n\ndef mse_grad(y_hat, y):\n    return 2 * * (y_hat - y)"
    with pytest.raises(SubmissionError) as refused:
        read_submission("hw.ipynb", notebook("x = 1", "y = 2", broken), "mse_grad")
    assert str(refused.value) == ("no code cell of this notebook defines a function named 'mse_grad' "
                                  "(cell 4, line 4: SyntaxError: invalid syntax)")


def test_a_function_defined_twice_is_graded_as_the_last_cell_defines_it():
    program, report = graded("hw.ipynb", notebook("import numpy as np", WRONG, "print('trying again')", RIGHT))
    assert report.passed
    assert list(program.notes) == [
        "cell 3: skipped, `mse_grad` is defined again in cell 5; that one is graded, as a run from top to bottom "
        "would leave it",
        "cell 4: skipped, it calls print",
    ]
    _, report = graded("hw.ipynb", notebook("import numpy as np", RIGHT, WRONG))
    assert not report.passed


def test_setting_an_attribute_of_the_function_is_no_second_definition():
    program, report = graded("hw.py", f"{RIGHT}\n\nmse_grad.calls = 0\n".encode())
    assert report.passed and program.notes == ()


def test_a_py_file_that_defines_the_function_twice_says_which_line_is_graded():
    program, report = graded("hw.py", f"{WRONG}\n\n\n{RIGHT}\n".encode())
    assert report.passed
    assert list(program.notes) == ["lines 1-2: skipped, `mse_grad` is defined again at line 5; that one is graded, "
                                   "as a run from top to bottom would leave it"]


def test_a_definition_the_function_needs_that_uses_a_missing_module_is_skipped_with_the_reason():
    cells = ("import numpy as np\nimport scipy.special", "HALF = scipy.special.expit(0.0)",
             "def mse_grad(y_hat, y):\n    return HALF * 4 * (y_hat - y) / len(y)")
    program, report = graded("hw.ipynb", notebook(*cells))
    assert list(program.notes) == [
        "cell 2, line 2: skipped, `import scipy.special` is not available at grading time",
        "cell 3: skipped, it uses `scipy`, and `import scipy.special` is not available at grading time",
    ]
    assert report.error == "Every case raised NameError: name 'HALF' is not defined"


def test_a_name_the_function_uses_that_only_skipped_code_sets_is_pointed_out():
    cells = ("import numpy as np", "with open('scale.txt') as f:\n    SCALE = float(f.read())",
             "def mse_grad(y_hat, y):\n    return SCALE * (y_hat - y) / len(y)")
    program, _ = graded("hw.ipynb", notebook(*cells))
    assert list(program.notes) == [
        "cell 3: skipped, it calls open, so `SCALE`, which the graded code uses, is not defined"]


def test_an_import_guarded_by_except_importerror_runs_its_fallback():
    cells = ("import numpy as np\ntry:\n    from tqdm import tqdm\nexcept ImportError:\n    tqdm = None",
             "def mse_grad(y_hat, y):\n    assert tqdm is None\n    return 2 * (y_hat - y) / len(y)")
    program, report = graded("hw.ipynb", notebook(*cells))
    assert report.passed
    assert list(program.notes) == ["cell 2, lines 2-5: `from tqdm import tqdm` is not available at grading time, "
                                   "so its `except ImportError` branch runs"]


def test_an_installed_package_imported_inside_the_function_fails_without_naming_a_path_of_the_server():
    source = "def mse_grad(y_hat, y):\n    import matplotlib\n    return 2 * (y_hat - y) / len(y)\n"
    report = grade(source, get_exercise("mse_grad"), seed=1)
    assert report.error == "Every case raised ModuleNotFoundError: No module named 'matplotlib'"
    assert report.public.error == "Every case raised ModuleNotFoundError at line 2 of your code"


GLOBAL_COUNTER = "def mse_grad(y_hat, y):\n    global calls\n    calls += 1\n    return 2 * (y_hat - y) / len(y)"


@pytest.mark.parametrize(("cells", "skipped"), [
    (["from functools import reduce as fold\nimport math, json", RIGHT], []),
    (["K = 2.0", "def times(v, k=K):\n    return k * v", "@staticmethod\ndef unused():\n    pass",
      "def mse_grad(y_hat, y):\n    return times(y_hat - y) / len(y)"], [2]),
    (["def deco(f):\n    return f", "@deco\n" + RIGHT], []),
    (["twice = lambda v: 2 * v", "def mse_grad(y_hat, y):\n    return twice(y_hat - y) / len(y)"], []),
    (["class Loss:\n    factor = 2\n    def grad(self, a, b):\n        return self.factor * (a - b) / len(b)",
      "LOSS = Loss()\nLOSS.factor = 2", "def mse_grad(y_hat, y):\n    return LOSS.grad(y_hat, y)"], []),
    (["y = open('y.csv').read()\nv = 3", "def mse_grad(y_hat, y):\n    v = y_hat - y\n    return 2 * v / len(y)"], [0]),
    (["calls = 0", GLOBAL_COUNTER], []),
    (["W = [1, 2]", "TOTAL = sum(w for w in W)",
      "def mse_grad(y_hat, y):\n    return TOTAL * 2 * (y_hat - y) / 3 / len(y)"], []),
], ids=["imports of numpy and the standard library", "a helper and its default", "a decorated function",
        "a lambda", "a class, its instance and an attribute set on it", "names local to the function",
        "a global the function declares", "a constant computed by a comprehension"])
def test_what_the_function_needs_is_kept_and_nothing_more(cells, skipped):
    program, report = graded("hw.ipynb", notebook("import numpy as np", *cells))
    code = [line for line in program.source.splitlines() if line and not line.startswith("#")]
    kept = [cell for number, cell in enumerate(cells) if number not in skipped]
    assert code == ["import numpy as np", *"\n".join(kept).splitlines()]
    assert report.passed


ONLY_DEFINITIONS = ("import numpy as np  # arrays\nfrom functools import reduce\nimport math as m, json\n\n"
                    "@np.errstate(all='ignore')\ndef helper(v):\n    return v\n\n\n" + RIGHT + "\n")


def test_a_py_file_of_imports_and_functions_alone_is_graded_as_it_is():
    """No fork for the usual editor submission: it is sent on unparsed, with no notes."""
    program, report = graded("hw.py", ONLY_DEFINITIONS.encode())
    assert program.source == ONLY_DEFINITIONS and program.notes == () and report.passed


@pytest.mark.parametrize(("line", "note"), [
    ("x = 1", "line 12: skipped, `x` is not used by `mse_grad`"),
    ("import os; os.getcwd()", "line 12: skipped, it calls os.getcwd"),
    ("import matplotlib", "line 12: skipped, `import matplotlib` is not available at grading time"),
    (RIGHT, "lines 10-11: skipped, `mse_grad` is defined again at line 12; that one is graded, as a run from top "
            "to bottom would leave it"),
    ('"""\nimport numpy\n"""', "lines 5-7: skipped, `helper` is not used by `mse_grad`"),
], ids=["an assignment", "a statement after a semicolon", "an unavailable import", "the function again",
        "a string at the top level"])
def test_any_other_top_level_line_has_the_file_analysed(line, note):
    program, _ = graded("hw.py", f"{ONLY_DEFINITIONS}{line}\n".encode())
    assert note in program.notes


def test_the_standard_library_stays_importable_in_the_jail():
    source = ("import colorsys, glob, fractions\n\ndef mse_grad(y_hat, y):\n    import csv, zipfile\n"
              "    return 2 * (y_hat - y) / len(y)\n")
    program, report = graded("hw.py", source.encode())
    assert report.passed and report.error is None and program.notes == ()
