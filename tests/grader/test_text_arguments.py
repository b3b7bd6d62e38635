"""A text argument (an activation's name) crosses the job channel in its JSON header and reaches the function as
the very str the case holds; rebinding it inside the function is no change in place.

As in test_changed_arguments.py, the harness runs in this process (``run_job``) and its reply is decoded as the
grader decodes a jailed child's.
"""

from __future__ import annotations

from textwrap import dedent, indent

import numpy as np

from grader.sandbox import harness
from grader.sandbox.protocol import CaseRun, Job, JobCase, decode_reply, encode_job

# One ASCII name and one that JSON must escape: both must arrive unchanged.
NAMES = ("tanh", "relu \"quoted\" ü\n")


def run(body: str, name: str) -> CaseRun:
    """``body`` as the function ``f(x, activation)`` called on x = [1, 2] and ``name``."""
    source = "import numpy as np\n\ndef f(x, activation):\n" + indent(dedent(body).strip() + "\n", "    ")
    inputs = {"x": np.array([1.0, 2.0]), "activation": name}
    job = Job(source, "f", ("x", "activation"), [JobCase("one", inputs, [harness.Slot("dx", (), (len(name),))])])
    blobs: list[bytes] = []
    harness.run_job(encode_job(job), blobs.append)
    reply = decode_reply(b"".join(blobs), job)
    assert reply.load_error is None and reply.complete
    (case,) = reply.cases
    return case


def test_a_text_argument_arrives_as_the_same_str() -> None:
    for name in NAMES:
        case = run("""
            assert type(activation) is str
            return np.array([float(ord(c)) for c in activation])
        """, name)
        assert (case.status, case.mutated) == ("ok", ())
        (answer,) = case.answers
        assert isinstance(answer, np.ndarray)
        assert "".join(chr(int(c)) for c in answer) == name


def test_a_text_argument_rebound_is_not_a_change_in_place() -> None:
    case = run("""
        activation += "!"
        activation = activation.upper()
        return np.zeros(len(activation) - 1)
    """, "tanh")
    assert (case.status, case.mutated) == ("ok", ())
