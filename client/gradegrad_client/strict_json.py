"""Reports as strict JSON: what every database, JSON.parse and a strict parser accept.

A submission decides much of its report: the numbers it returned (NaN, infinities) and the
text it printed or raised (NUL, unpaired surrogates). PostgreSQL's json type refuses NaN,
psycopg refuses NUL in text, neither database can encode an unpaired surrogate, and
``json.dumps`` writes NaN as a bare token that JavaScript's ``JSON.parse`` rejects. So a
report passes through ``strict_value`` wherever it leaves the grader: into the database,
into ``gradegrad grade --json``, into an HTTP answer.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

# NUL, which PostgreSQL refuses in text, and the unpaired surrogates that no UTF-8 encoder takes.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"
NON_FINITE = {math.inf: "Infinity", -math.inf: "-Infinity"}


def strict_value(value: Any) -> Any:
    """``value`` with each non-finite float spelled as the string "NaN", "Infinity" or "-Infinity",
    and NUL and unpaired surrogates in every string (dict keys too) replaced by U+FFFD.

    Dicts, lists and tuples are rebuilt (tuples as lists); other values pass unchanged.
    """
    if isinstance(value, str):
        return UNSTORABLE.sub(REPLACEMENT, value)
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else NON_FINITE[value]
    if isinstance(value, dict):
        return {strict_value(key): strict_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [strict_value(item) for item in value]
    return value


def strict_dumps(value: Any, **options: Any) -> str:
    """``json.dumps`` of ``strict_value(value)``; raises ValueError rather than write a bare NaN."""
    return json.dumps(strict_value(value), allow_nan=False, **options)
