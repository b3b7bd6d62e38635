"""Submission-level failures each get their own short, specific message."""

import textwrap

import pytest

from exercises import get_exercise
from grader.pipeline import grade
from grader.sandbox.limits import DEFAULT_LIMITS

RIGHT = "def mse_grad(y_hat, y):\n    return 2 * (y_hat - y) / len(y)\n"
FAST_LIMITS = DEFAULT_LIMITS.with_overrides(wall_seconds=2.0, cpu_seconds=1)


def run(source, **kwargs):
    return grade(textwrap.dedent(source), get_exercise("mse_grad"), seed=3, **kwargs)


def test_right_answer_passes_every_hidden_case():
    report = run(RIGHT)
    assert report.passed and report.score == 1.0 and report.error is None
    assert all(case.passed and case.message == "Right" for case in report.cases)


def test_syntax_error_names_line_and_column():
    report = run("def mse_grad(y_hat, y):\n    return (y_hat - y\n")
    assert report.score == 0 and not report.passed
    assert report.error.startswith("SyntaxError:")
    assert "line 2" in report.error and "column" in report.error


def test_missing_function_says_which_function_to_define():
    report = run("def mse_gradient(y_hat, y):\n    return y_hat - y\n")
    assert report.error == "No function named 'mse_grad' is defined; define mse_grad(y_hat, y)"
    assert all(case.kind == "not_run" for case in report.cases)


def test_wrong_parameters_show_the_expected_and_the_given_signature():
    report = run("def mse_grad(y_hat):\n    return y_hat\n")
    assert "must take the parameters (y_hat, y)" in report.error
    assert "mse_grad(y_hat)" in report.error


def test_a_name_that_is_not_a_function_is_reported():
    report = run("mse_grad = 3\n")
    assert report.error == "'mse_grad' is defined but is a int, not a function"


def test_exception_while_loading_shows_the_students_line():
    report = run("import numpy as np\nx = 1 / 0\ndef mse_grad(y_hat, y):\n    return y\n")
    assert report.error == "The code raised an exception while loading: ZeroDivisionError: division by zero"


def test_exception_in_every_case_is_one_error_with_the_students_traceback_only():
    report = run("""
        def helper(v):
            return v.nonexistent
        def mse_grad(y_hat, y):
            return helper(y_hat)
    """)
    assert report.error == "Every case raised AttributeError: 'numpy.ndarray' object has no attribute 'nonexistent'"
    traceback = report.cases[0].traceback
    assert 'File "submission.py", line 5, in mse_grad' in traceback
    assert 'File "submission.py", line 3, in helper' in traceback
    assert "grader" not in traceback and "harness" not in traceback and "/" not in traceback


def test_exception_in_some_cases_fails_only_those():
    report = run("""
        def mse_grad(y_hat, y):
            if len(y) == 1:
                raise ValueError("no single points")
            return 2 * (y_hat - y) / len(y)
    """)
    assert report.error is None
    failed = [case for case in report.cases if not case.passed]
    assert [case.name for case in failed] == ["n = 1"]
    assert failed[0].message == "Raised ValueError: no single points"


def test_wrong_shape_says_got_and_expected():
    report = run("""
        import numpy as np
        def mse_grad(y_hat, y):
            return np.reshape(2 * (y_hat - y) / len(y), (1, -1))
    """)
    message = report.cases[1].message
    assert message == "'dy_hat' has the wrong shape: got (1, 2), expected (2,)"


def test_nan_answer_is_reported_as_non_finite():
    report = run("""
        import numpy as np
        def mse_grad(y_hat, y):
            g = 2 * (y_hat - y) / len(y)
            g[0] = np.nan
            return g
    """)
    assert not report.passed
    assert report.cases[0].kind == "nonfinite"
    assert "non-finite values (NaN or inf) in 1 of 1 entries" in report.cases[0].message


def test_answers_that_are_not_numbers_are_one_error():
    report = run("def mse_grad(y_hat, y):\n    return 'gradient'\n")
    assert report.error == ("The answers are not arrays of numbers: "
                            "'dy_hat' is not an array of numbers (its dtype is <U8)")


def test_none_answer_is_not_numbers():
    report = run("def mse_grad(y_hat, y):\n    pass\n")
    assert report.error.startswith("The answers are not arrays of numbers")


def test_infinite_loop_hits_the_time_limit_and_keeps_finished_cases():
    report = run("""
        def mse_grad(y_hat, y):
            if len(y) > 3:
                while True:
                    pass
            return 2 * (y_hat - y) / len(y)
    """, limits=FAST_LIMITS)
    assert report.error in ("Time limit: the submission ran for more than 2 s",
                            "CPU time limit: the submission used more than 1 s of CPU")
    assert report.cases[0].passed and report.cases[1].passed
    assert report.cases[-1].message.startswith("Not run:")


def test_sleeping_forever_hits_the_wall_clock_limit():
    report = run("import time\ndef mse_grad(y_hat, y):\n    time.sleep(60)\n", limits=FAST_LIMITS)
    assert report.error == "Time limit: the submission ran for more than 2 s"


def test_memory_bomb_hits_the_memory_limit():
    report = run("import numpy as np\ndef mse_grad(y_hat, y):\n    return np.ones((1 << 31,))\n")
    assert report.error == "Memory limit: the submission tried to use more than 1024 MiB"


def test_too_much_output_is_stopped():
    report = run("def mse_grad(y_hat, y):\n    while True:\n        print('x' * 10000)\n", limits=FAST_LIMITS)
    assert report.error == "Too much output: the submission printed more than 1024 KiB"


def test_printed_output_is_kept_but_capped():
    report = run("def mse_grad(y_hat, y):\n    print('debug', len(y))\n    return 2 * (y_hat - y) / len(y)\n")
    assert report.passed
    assert "debug 1" in report.output
    assert len(report.output) <= 2 * DEFAULT_LIMITS.kept_output_bytes


def test_os_exit_mid_suite_is_an_early_exit():
    report = run("import os\ndef mse_grad(y_hat, y):\n    os._exit(0)\n")
    assert report.error == "The submission exited before answering every case (os._exit or a crash?)"


@pytest.mark.parametrize("returned", ["list(2 * (y_hat - y) / len(y))", "(2 * (y_hat - y) / len(y)).astype('float32')"],
                         ids=["python-list", "float32"])
def test_equivalent_answer_types_pass(returned):
    report = run(f"def mse_grad(y_hat, y):\n    return {returned}\n")
    assert report.passed, [c.message for c in report.cases]


def test_a_file_that_does_not_finish_loading_is_told_so_not_that_its_function_ran_long():
    report = run("import time\ntime.sleep(60)\ndef mse_grad(y_hat, y):\n    return y_hat\n", limits=FAST_LIMITS)
    assert report.error == ("Time limit: the file did not finish loading (compiling it and running its top-level "
                            "code) within 2 s")
    assert all(case.message.startswith("Not run:") for case in report.cases)
