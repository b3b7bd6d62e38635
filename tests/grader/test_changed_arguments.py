"""The harness tells which arguments a call changed in place, bit for bit, and the grader reads that back.

Each submission runs in this process through the harness's own entry point (``run_job``) and
its reply is decoded as the grader decodes a jailed child's: what is checked here is the
protocol end to end, without a sandbox to start.
"""

from __future__ import annotations

from textwrap import dedent, indent

import numpy as np
import pytest

from grader.sandbox import harness
from grader.sandbox.protocol import CaseRun, Job, JobCase, decode_reply, encode_job

INPUTS = {
    "x": np.array([1.5, np.nan, -0.0, 2.0]),
    "As": [np.arange(6.0).reshape(2, 3), np.ones((1, 2))],
    "s": 0.5,
}


def run(body: str) -> CaseRun:
    """``body`` as the function ``f(x, As, s)``, answering ``x.sum()`` after it ran, called on INPUTS."""
    source = "import numpy as np\n\ndef f(x, As, s):\n" + indent(dedent(body), "    ") + "    return np.sum(x)\n"
    job = Job(source, "f", ("x", "As", "s"), [JobCase("one", INPUTS, [harness.Slot("dx", (), ())])])
    blobs: list[bytes] = []
    harness.run_job(encode_job(job), blobs.append)
    reply = decode_reply(b"".join(blobs), job)
    assert reply.load_error is None and reply.complete
    (case,) = reply.cases
    return case


@pytest.mark.parametrize("body", [
    "pass\n",
    "x = x - 1.0\n",  # a new array under the old name
    "x = x.copy()\nx -= 1.0\n",
    "As = [A.copy() for A in As]\nAs[0] -= 1.0\nAs.append(x)\n",
    "As = list(As)\nAs[0] = As[0] * 2.0\n",
    "s += 1.0\n",  # a float is rebound, never changed
    "x[:] = x\n",  # the same bits written back, NaN included
    "x.sort()\nx[:] = np.array([1.5, np.nan, -0.0, 2.0])\n",  # changed, then put back before returning
    "_ = x.T, x.reshape(2, 2), As[0][::-1], np.asarray(As[1])\n",  # views only read
], ids=["nothing", "rebinds", "changes-a-copy", "changes-a-copied-list", "replaces-in-a-new-list", "rebinds-a-float",
        "writes-the-same-bits", "restores", "views"])
def test_a_function_that_leaves_its_arguments_as_given_changes_none(body: str) -> None:
    case = run(body)
    assert (case.status, case.mutated) == ("ok", ())


@pytest.mark.parametrize(("body", "mutated"), [
    ("x -= 1.0\n", ("x",)),
    ("x[0] = 1.5000000000000002\n", ("x",)),  # one ulp
    ("x[2] = 0.0\n", ("x",)),  # -0.0 and 0.0 compare equal, but they are not the same bits
    ("x[1] = 7.0\n", ("x",)),  # where the NaN was
    ("x[3] = np.nan\n", ("x",)),
    ("x.shape = (2, 2)\n", ("x",)),
    ("x.dtype = np.int64\n", ("x",)),  # the same bytes, read as other numbers
    ("As[0] -= 1.0\n", ("As",)),
    ("As[1][0, 1] = 0.0\n", ("As",)),
    ("As[0] = As[0] * 1.0\n", ("As",)),  # equal values, but not the array the function was given
    ("As.append(np.ones(1))\n", ("As",)),
    ("As.pop()\n", ("As",)),
    ("As.clear()\n", ("As",)),
    ("As.reverse()\n", ("As",)),
    ("As[0] -= 1.0\nx *= 2.0\n", ("x", "As")),  # in the order of the parameters
], ids=["subtract", "one-ulp", "negative-zero", "nan-overwritten", "nan-written", "reshaped", "dtype", "list-item",
        "list-item-entry", "list-item-replaced", "appended", "removed", "emptied", "reordered", "two-arguments"])
def test_an_argument_changed_in_place_is_named(body: str, mutated: tuple[str, ...]) -> None:
    case = run(body)
    assert (case.status, case.mutated) == ("ok", mutated)


def test_an_argument_changed_while_the_answer_is_converted_is_named() -> None:
    """Converting the answer runs the submission's code too: the check comes after it."""
    source = dedent("""
        class Answer:
            def __init__(self, x):
                self.x = x

            def __array__(self, dtype=None, copy=None):
                self.x[0] = 0.0
                return self.x

        def f(x, As, s):
            return Answer(x)
    """)
    job = Job(source, "f", ("x", "As", "s"), [JobCase("one", INPUTS, [harness.Slot("dx", (), (4,))])])
    blobs: list[bytes] = []
    harness.run_job(encode_job(job), blobs.append)
    (case,) = decode_reply(b"".join(blobs), job).cases
    assert case.mutated == ("x",)
