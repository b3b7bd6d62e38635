"""The grader's side of the job channel: encode a job, and read back only what is valid.

Everything the child sends is untrusted. Each blob is bounded in size, JSON is parsed only
into plain types, and each array is a ``.npy`` file whose header is checked (little-endian
float64, C order, a small number of dimensions, a declared size equal to the payload) before
its bytes are viewed as float64, never unpickled.
"""

from __future__ import annotations

import json
import math
import re
import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grader.sandbox import harness
from grader.sandbox.harness import Slot

MAX_JSON_BYTES = 64 * 1024
MAX_DIMS = 8
INPUT_KINDS = "biuf"
MIN_ELEMENT_CAP = 4096
# The header numpy and the harness write for a float64 array, padded with spaces: nothing else.
_NPY_HEADER = re.compile(rb"\{'descr': '<f8', 'fortran_order': False, "
                         rb"'shape': \(((?:\d{1,12}, )*\d{1,12},?)?\), \} *\n")


class ProtocolError(Exception):
    """The child's reply on the job channel is not valid."""


@dataclass(frozen=True)
class JobCase:
    name: str
    inputs: dict[str, Any]
    slots: list[Slot]


@dataclass(frozen=True)
class Job:
    """What the jail receives: the source, the function to call, and inputs only."""

    source: str
    function: str
    params: tuple[str, ...]
    cases: list[JobCase]


@dataclass
class CaseRun:
    """What the submission answered on one case: an array or a problem dict per slot."""

    name: str
    status: str  # "ok" or "exception"
    answers: list[np.ndarray | dict[str, Any]] = field(default_factory=list)
    exception: str | None = None
    traceback: str | None = None
    known: str | None = None  # the exception's class name when it is Python's or numpy's own
    line: int | None = None  # the line of submission.py the exception left from
    mutated: tuple[str, ...] = ()  # the parameters whose arguments the call changed in place


@dataclass
class ChannelReply:
    """The decoded job channel: a load problem, or the runs of the cases that finished."""

    load_error: dict[str, Any] | None = None
    cases: list[CaseRun] = field(default_factory=list)
    complete: bool = False
    loaded: bool = False  # the submission's file compiled and its top-level code ran


def encode_job(job: Job) -> bytes:
    """The job as bytes: a JSON header listing every input array (and holding any text argument), then the
    arrays' raw bytes."""
    arrays: dict[str, np.ndarray] = {}
    cases = []
    for index, case in enumerate(job.cases):
        args = []
        for name in job.params:
            value = case.inputs[name]
            key = f"{index}.{name}"
            if isinstance(value, list):
                args.append({"name": name, "kind": "list", "length": len(value)})
                for j, part in enumerate(value):
                    arrays[f"{key}.{j}"] = np.asarray(part)
            elif isinstance(value, np.ndarray):
                args.append({"name": name, "kind": "array"})
                arrays[key] = value
            elif isinstance(value, str):
                # an option such as an activation's name: it travels in the JSON header, never as an array
                args.append({"name": name, "kind": "text", "value": value})
            else:
                args.append({"name": name, "kind": "float"})
                arrays[key] = np.asarray(float(value))
        cases.append({"index": index, "name": case.name, "args": args,
                      "paths": [list(slot.path) for slot in case.slots]})
    contiguous = {key: np.asarray(value, order="C") for key, value in arrays.items()}
    if any(value.dtype.kind not in INPUT_KINDS for value in contiguous.values()):
        raise ValueError("job inputs must be boolean or numeric arrays")
    header = {"source": job.source, "function": job.function, "params": list(job.params), "cases": cases,
              "arrays": [[key, value.dtype.str, list(value.shape)] for key, value in contiguous.items()]}
    head = json.dumps(header).encode()
    return struct.pack(">I", len(head)) + head + b"".join(value.tobytes() for value in contiguous.values())


def decode_reply(data: bytes, job: Job) -> ChannelReply:
    """Read the child's stream; a truncated stream keeps the cases that finished."""
    reply = ChannelReply()
    blobs = _Blobs(data)
    first = blobs.json()
    if first is None:
        return reply
    if first.get("type") == "error":
        reply.load_error = _plain(first)
        reply.complete = True
        return reply
    if first.get("type") != "loaded":
        raise ProtocolError("the reply does not start as a reply should")
    reply.loaded = True
    for case in job.cases:
        head = blobs.json()
        if head is None:
            return reply
        if head.get("type") != "case" or head.get("name") != case.name:
            raise ProtocolError("the reply's cases are out of order")
        cap = max((element_cap(slot.shape) for slot in case.slots), default=0)
        received = [blobs.array(cap) for _ in range(_count(head.get("arrays")))]
        arrays = [a for a in received if a is not None]
        if len(arrays) < len(received):
            return reply
        reply.cases.append(_case_run(head, arrays, len(case.slots), job.params))
    last = blobs.json()
    reply.complete = last is not None and last.get("type") == "done"
    return reply


def _case_run(head: dict[str, Any], arrays: list[np.ndarray], n_slots: int, params: tuple[str, ...]) -> CaseRun:
    if head.get("status") == "exception":
        return CaseRun(head["name"], "exception", exception=_text(head.get("exception"), 60),
                       traceback=_text(head.get("traceback"), 4000), known=_text(head.get("known"), 60),
                       line=_line(head.get("line")))
    slots = head.get("slots")
    if not isinstance(slots, list) or len(slots) != n_slots:
        raise ProtocolError("the reply names the wrong number of answers")
    answers: list[np.ndarray | dict[str, Any]] = []
    for slot in slots:
        if isinstance(slot, dict) and "array" in slot:
            index = slot["array"]
            if not isinstance(index, int) or not 0 <= index < len(arrays):
                raise ProtocolError("the reply points at an array it did not send")
            answers.append(arrays[index])
        elif isinstance(slot, dict):
            answers.append(_plain(slot))
        else:
            raise ProtocolError("the reply's answer is neither an array nor a problem")
    return CaseRun(head["name"], "ok", answers=answers, mutated=_mutated(head.get("mutated", []), params))


def _mutated(names: Any, params: tuple[str, ...]) -> tuple[str, ...]:
    """The changed arguments a case's reply names: distinct parameters of the function, in their order."""
    if not isinstance(names, list) or not all(isinstance(name, str) and name in params for name in names):
        raise ProtocolError("the reply names an argument the function does not take")
    if names != sorted(set(names), key=params.index):
        raise ProtocolError("the reply names the changed arguments out of order")
    return tuple(names)


class _Blobs:
    """Length-prefixed blobs read from a byte string; None where the stream ends early."""

    def __init__(self, data: bytes) -> None:
        self.data, self.offset = data, 0

    def next(self, limit: int) -> bytes | None:
        if self.offset + 4 > len(self.data):
            return None
        (size,) = struct.unpack(">I", self.data[self.offset : self.offset + 4])
        if size > limit:
            raise ProtocolError(f"a reply blob of {size} bytes is over its limit")
        end = self.offset + 4 + size
        if end > len(self.data):
            return None
        blob, self.offset = self.data[self.offset + 4 : end], end
        return blob

    def json(self) -> dict[str, Any] | None:
        blob = self.next(MAX_JSON_BYTES)
        if blob is None:
            return None
        try:
            value = json.loads(blob)
        except (ValueError, RecursionError) as exc:
            raise ProtocolError("a reply blob is not JSON") from exc
        if not isinstance(value, dict):
            raise ProtocolError("a reply blob is not a JSON object")
        return value

    def array(self, max_elements: int) -> np.ndarray | None:
        blob = self.next(len(self.data))
        return None if blob is None else read_npy(blob, max_elements)


def element_cap(expected: tuple[int, ...]) -> int:
    """How many elements an answer for ``expected`` may have: wrong shapes pass, to be named, bombs do not.

    Room for a wrong shape that is a mistake worth naming (an outer product where a vector
    was due, say), none for an answer far larger than any mistake.
    """
    size = math.prod(expected)
    return max(16 * size, size * size, MIN_ELEMENT_CAP)


def read_npy(blob: bytes, max_elements: int) -> np.ndarray:
    """A float64 array from untrusted ``.npy`` bytes, checked before anything is allocated.

    Only the exact version 1.0 header the harness writes is accepted (little-endian float64,
    C order, at most MAX_DIMS dimensions), the declared size must equal the payload's (sizes are
    Python integers: a product of dimensions cannot overflow), and the array may hold at most
    ``max_elements`` (see ``element_cap``). The data is then viewed
    with ``np.frombuffer`` as float64: no code path can unpickle anything.
    """
    if len(blob) < harness.NPY_PREFIX or not blob.startswith(harness.NPY_MAGIC):
        raise ProtocolError("an answer is not a version 1.0 .npy file")
    (length,) = struct.unpack("<H", blob[len(harness.NPY_MAGIC) : harness.NPY_PREFIX])
    match = _NPY_HEADER.fullmatch(blob[harness.NPY_PREFIX : harness.NPY_PREFIX + length])
    if match is None:
        raise ProtocolError("an answer array is not a C-ordered float64 array")
    shape = tuple(int(n) for n in (match.group(1) or b"").replace(b",", b" ").split())
    if len(shape) > MAX_DIMS:
        raise ProtocolError("an answer array has too many dimensions")
    start = harness.NPY_PREFIX + length
    if 8 * math.prod(shape) != len(blob) - start or any(n > len(blob) for n in shape):
        raise ProtocolError("an answer array's size does not match its header")
    if (len(blob) - start) // 8 > max_elements:
        raise ProtocolError(f"an answer array of shape {shape} is far larger than the expected answer")
    return np.frombuffer(blob, "<f8", offset=start).reshape(shape).copy()


def _count(value: Any) -> int:
    if not isinstance(value, int) or not 0 <= value <= 4096:
        raise ProtocolError("the reply announces an impossible number of arrays")
    return value


def _line(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: Any, limit: int) -> str | None:
    return None if value is None else str(value)[:limit]


def _plain(value: dict[str, Any]) -> dict[str, Any]:
    """A problem dict with only short strings, ints and None as values."""
    out: dict[str, Any] = {}
    for key, item in list(value.items())[:16]:
        if isinstance(item, bool) or item is None or isinstance(item, int):
            out[str(key)[:40]] = item
        else:
            out[str(key)[:40]] = str(item)[:4000]
    return out
