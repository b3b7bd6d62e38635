"""The grader reads back only valid answers: forged .npy headers and oversized arrays are refused unread."""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest

from grader.sandbox import harness
from grader.sandbox.protocol import ProtocolError, element_cap, read_npy


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


@pytest.mark.parametrize("blob", [
    npy(b"{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", b"\x80\x04N."),
    npy(b"{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", bytes(32)),
    npy(b"{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", bytes(16)),
    npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000, 100000), }", bytes(64)),
    npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", bytes(16)),
    npy(b"{'descr': '<f8', 'fortran_order': False, 'shape': (1,) + __import__('os').getpid(), }", bytes(8)),
    b"\x93NUMPY\x02\x00" + struct.pack("<I", 10) + b"{}        \n",
    b"not an npy file",
], ids=["pickled-object", "fortran-order", "big-endian", "huge-declared-shape", "short-payload", "code-in-header",
        "version-2", "garbage"])
def test_forged_answers_are_refused(blob: bytes) -> None:
    with pytest.raises(ProtocolError):
        read_npy(blob, 10**6)


def test_an_answer_far_larger_than_expected_is_refused_unread() -> None:
    expected = (40,)
    assert read_npy(harness.npy_bytes(np.ones((40, 40))), element_cap(expected)).shape == (40, 40)
    with pytest.raises(ProtocolError, match="far larger"):
        read_npy(harness.npy_bytes(np.ones(10**6)), element_cap(expected))
