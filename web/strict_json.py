"""Flask's JSON answers as strict JSON: every API answer parses with JavaScript's ``JSON.parse``."""

from __future__ import annotations

from typing import Any

from flask.json.provider import DefaultJSONProvider

from gradegrad_client.strict_json import strict_value


class StrictJSONProvider(DefaultJSONProvider):
    """``jsonify`` through ``strict_value``: a non-finite number becomes the string "NaN", "Infinity" or
    "-Infinity" (rows stored before reports were made strict hold bare NaN), and a bare NaN can never be written."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return super().dumps(strict_value(obj), allow_nan=False, **kwargs)
