"""The grader reads back only valid answers: forged .npy headers and oversized arrays are refused unread."""

from __future__ import annotations

import io
import logging
import struct

import numpy as np
import pytest

from grader.sandbox import harness, protocol
from grader.sandbox.limits import Limits
from grader.sandbox.outcome import judge_run
from grader.sandbox.process import Collected
from grader.sandbox.protocol import Job, JobCase, ProtocolError, element_cap, read_npy


def npy(header: bytes, payload: bytes = b"") -> bytes:
    header = header + b" " * (-(len(header) + harness.NPY_PREFIX + 1) % 64) + b"\n"
    return harness.NPY_MAGIC + struct.pack("<H", len(header)) + header + payload


def test_answers_round_trip_as_numpy_writes_them() -> None:
    for answer in (np.float64(2.5), np.arange(3.0), np.ones((2, 3)), np.zeros((0, 4)), np.ones((3, 4)).T):
        written = harness.npy_bytes(answer)
        reference = io.BytesIO()
        np.save(reference, np.asarray(answer, dtype="<f8", order="C"))
        assert written == reference.getvalue()
        assert np.array_equal(read_npy(written, 10**6), answer) and read_npy(written, 10**6).shape == answer.shape


NOT_FLOAT64 = "an answer array is not a C-ordered float64 array"
WRONG_SIZE = "an answer array's size does not match its header"


def padded_npy(header: bytes, payload: bytes = b"", header_bytes: int = 65535) -> bytes:
    """A forged answer whose header is padded to ``header_bytes``: the blob is then longer than any one dimension."""
    return harness.NPY_MAGIC + struct.pack("<H", header_bytes) + header.ljust(header_bytes - 1) + b"\n" + payload


@pytest.mark.parametrize(("blob", "message"), [
    (npy(b"{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", b"\x80\x04N."), NOT_FLOAT64),
    (npy(b"{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", bytes(32)), NOT_FLOAT64),
    (npy(b"{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", bytes(16)), NOT_FLOAT64),
    (npy(b"{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }", bytes(16)), NOT_FLOAT64),
    (npy(b"{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", bytes(16)), NOT_FLOAT64),
    (npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 2), }", bytes(16)), NOT_FLOAT64),
    (npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': ((2,), (2,)), }", bytes(32)), NOT_FLOAT64),
    (npy("{'descr': '<f8', 'fortran_order': False, 'shape': (\uff12,), }".encode(), bytes(16)), NOT_FLOAT64),
    (npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (1,) + __import__('os').getpid(), }", bytes(8)),
     NOT_FLOAT64),
    (harness.NPY_MAGIC + struct.pack("<H", 65535) + b"{'descr': '<f8', ", NOT_FLOAT64),
    (npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (" + b"1, " * 8 + b"1), }", bytes(8)),
     "an answer array has too many dimensions"),
    (npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", bytes(64)), WRONG_SIZE),
    (npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (999999999999,), }", bytes(8)), WRONG_SIZE),
    (npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (0, 999999999999), }"), WRONG_SIZE),
    (npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", bytes(16)), WRONG_SIZE),
    (npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", bytes(16) + b"garbage"), WRONG_SIZE),
    # 65536**4 == 2**64: a product taken in int64 wraps to 0, which an empty payload would match
    (padded_npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (65536, 65536, 65536, 65536), }"), WRONG_SIZE),
    (padded_npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (65536, 65536, 65536, 65536, 1), }", bytes(8)),
     WRONG_SIZE),
    (b"\x93NUMPY\x02\x00" + struct.pack("<I", 10) + b"{}        \n", "an answer is not a version 1.0 .npy file"),
    (b"not an npy file", "an answer is not a version 1.0 .npy file"),
], ids=["pickled-object", "fortran-order", "big-endian", "float32", "int64", "negative-dim", "nested-tuples",
        "non-ascii-digit", "code-in-header", "header-longer-than-blob", "nine-dims", "huge-declared-shape",
        "huge-count", "zero-times-huge", "short-payload", "garbage-after-data", "product-wraps-int64",
        "product-wraps-int64-with-data", "version-2", "garbage"])
def test_forged_answers_are_refused(blob: bytes, message: str) -> None:
    with pytest.raises(ProtocolError) as refused:
        read_npy(blob, 10**6)
    assert str(refused.value) == message


def reply_job() -> Job:
    return Job("", "f", ("x",), [JobCase("one", {"x": 1.0}, [harness.Slot("dx", (), (2,))])])


def forged_reply(answer: bytes, **extra: object) -> bytes:
    case = {"type": "case", "name": "one", "status": "ok", "slots": [{"array": 0}], **extra}
    return (harness.encode_json({"type": "loaded"}) + harness.encode_json(case, [answer])
            + harness.encode_json({"type": "done"}))


@pytest.mark.parametrize(("channel", "message"), [
    (forged_reply(padded_npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (65536, 65536, 65536, 65536), }")),
     WRONG_SIZE),
    (harness.encode_json({"type": "done"}), "the reply does not start as a reply should"),
    (harness.encode_json({"type": "loaded"}) + harness.encode_json({"type": "case", "name": "two"}),
     "the reply's cases are out of order"),
    (harness.encode_json({"type": "loaded"}) + harness.encode_blob(b"[1, 2]"), "a reply blob is not a JSON object"),
    (harness.encode_json({"type": "loaded"}) + harness.encode_blob(b"\xff\xfe"), "a reply blob is not JSON"),
    (harness.encode_json({"type": "loaded"}) + harness.encode_blob(b"[" * 100000),
     "a reply blob of 100000 bytes is over its limit"),
    (harness.encode_json({"type": "loaded"}) + harness.encode_blob(b"[" * 60000 + b"]" * 60000),
     "a reply blob of 120000 bytes is over its limit"),
    (harness.encode_json({"type": "loaded"}) + harness.encode_blob(b"[" * 30000 + b"]" * 30000),
     "a reply blob is not JSON"),
    (harness.encode_json({"type": "loaded"}) + harness.encode_blob(b'{"type": "case", "name": "one", "arrays": 10e9}'),
     "the reply announces an impossible number of arrays"),
    (harness.encode_json({"type": "loaded"})
     + harness.encode_json({"type": "case", "name": "one", "status": "ok", "slots": [{"array": 3}]}),
     "the reply points at an array it did not send"),
    (harness.encode_json({"type": "loaded"})
     + harness.encode_json({"type": "case", "name": "one", "status": "ok", "slots": [1, 2]}),
     "the reply names the wrong number of answers"),
    (harness.encode_json({"type": "loaded"})
     + harness.encode_json({"type": "case", "name": "one", "status": "ok", "slots": [[{"array": 0}]]}),
     "the reply's answer is neither an array nor a problem"),
    (forged_reply(harness.npy_bytes(np.ones(2)), mutated=["y"]),
     "the reply names an argument the function does not take"),
    (forged_reply(harness.npy_bytes(np.ones(2)), mutated="x"),
     "the reply names an argument the function does not take"),
    (forged_reply(harness.npy_bytes(np.ones(2)), mutated=["x", "x"]),
     "the reply names the changed arguments out of order"),
], ids=["product-wraps-int64", "no-loaded", "wrong-case", "json-list", "not-utf8", "over-limit", "deep-over-limit",
        "deep-nesting", "float-count", "missing-array", "wrong-slot-count", "nested-slot", "mutated-unknown",
        "mutated-not-a-list", "mutated-twice"])
def test_forged_replies_fail_the_submission_with_the_reason(channel: bytes, message: str) -> None:
    result = judge_run(reply_job(), Collected(channel=channel), 0, 0.0, Limits(), ("seccomp",))
    assert (result.status, result.detail) == ("protocol", message)


def test_a_decoding_bug_fails_the_submission_not_the_grader(monkeypatch: pytest.MonkeyPatch,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    """Whatever a future decoding bug raises, it is the submission's protocol failure, and it is logged."""
    def broken(blob: bytes, max_elements: int) -> np.ndarray:
        raise IndexError("a decoding bug")

    monkeypatch.setattr(protocol, "read_npy", broken)
    channel = forged_reply(harness.npy_bytes(np.ones(2)))
    with caplog.at_level(logging.ERROR, logger="grader.sandbox"):
        result = judge_run(reply_job(), Collected(channel=channel), 0, 0.0, Limits(), ("seccomp",))
    assert (result.status, result.detail) == ("protocol", "the reply could not be decoded (IndexError)")
    assert [record.exc_info[0] for record in caplog.records] == [IndexError]


def test_an_answer_far_larger_than_expected_is_refused_unread() -> None:
    expected = (40,)
    assert read_npy(harness.npy_bytes(np.ones((40, 40))), element_cap(expected)).shape == (40, 40)
    with pytest.raises(ProtocolError, match="far larger"):
        read_npy(harness.npy_bytes(np.ones(10**6)), element_cap(expected))
