"""The JSON body of an API request, read strictly: whatever is wrong with it is a 400 that says what.

Flask's own reading lets some bodies through to a 500 (nesting deep enough to exhaust the
parser's recursion) and reads others loosely (``NaN``, a top-level list or ``null`` where an
object is due); every route that takes JSON reads it here instead.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

from flask import Request
from werkzeug.exceptions import BadRequest

MAX_DIGITS = 30  # no field takes a number; a longer one is only there to make the parser work


def refuse(message: str) -> NoReturn:
    """Answer 400 with ``message`` (in the API's error shape, through web.errors)."""
    raise BadRequest(description=message)


def json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object; any other body is refused with the reason."""
    if not request.is_json:
        refuse(f"Send a JSON object with 'Content-Type: application/json', not "
               f"'{request.mimetype or 'no content type'}'")
    raw = request.get_data(cache=True)
    if not raw.strip():
        refuse("The body is empty: send a JSON object")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        refuse(f"The body is not valid UTF-8 (byte {exc.start})")
    try:
        body = json.loads(text, parse_int=bounded_int, parse_constant=no_constant)
    except RecursionError:
        refuse("The body is nested too deeply to be read")
    except ValueError as exc:
        refuse(f"The body is not valid JSON: {exc}")
    if not isinstance(body, dict):
        refuse(f"The body must be a JSON object, not {json_type(body)}")
    return body


def string_field(body: dict[str, Any], name: str, default: str | None = None) -> str:
    """``body[name]`` if it is a string; ``default`` when absent (None: the field is required)."""
    value = body.get(name, default)
    if value is None:
        refuse(f"Say '{name}': a string")
    if not isinstance(value, str):
        refuse(f"'{name}' must be a string, not {json_type(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        refuse(f"'{name}' holds a lone surrogate escape (such as \\ud800), which is not text")
    return value


def json_type(value: Any) -> str:
    """What a parsed JSON value was, in JSON's words."""
    for kind, name in ((bool, "a boolean"), (dict, "an object"), (list, "a list"), (str, "a string"),
                       ((int, float), "a number")):
        if isinstance(value, kind):
            return name
    return "null"


def bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise ValueError(f"a number has more than {MAX_DIGITS} digits")
    return int(digits)


def no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not a JSON number")
