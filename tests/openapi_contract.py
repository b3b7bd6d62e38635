"""Every answer of the JSON API that a test receives must match the OpenAPI document.

The document (web/openapi.py) names every field of every object; an answer with a field it
does not name, a status it does not list for the operation, or a value of the wrong type fails
the test that received it, whichever test that is.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator

from web.openapi import openapi_document

PREFIX = "/api/v1"


@cache
def operations() -> list[tuple[re.Pattern[str], str, dict[str, Any]]]:
    """(path pattern, method, responses) of every documented operation."""
    found = []
    for template, methods in openapi_document()["paths"].items():
        pattern = re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(PREFIX + template)) + "$")
        for method, operation in methods.items():
            found.append((pattern, method.upper(), operation["responses"]))
    return found


def check_answer(method: str, url: str, status: int, content_type: str, body: bytes) -> None:
    """Raise AssertionError unless this answer of ``method url`` matches the document."""
    path = urlsplit(url).path
    if not path.startswith(PREFIX + "/") or path == PREFIX + "/openapi.json":
        return
    matching = [(m, responses) for pattern, m, responses in operations() if pattern.match(path)]
    if not matching:
        return  # not an operation of the API (a 404 for an unknown path is tested on its own)
    responses = dict(matching).get(method.upper())
    if responses is None:
        assert status == 405, f"{method} {path} is not in the OpenAPI document, yet answered {status}"
        return
    documented = responses.get(str(status))
    assert documented is not None, f"{method} {path} answered {status}, which the OpenAPI document does not list"
    content = documented.get("content")
    if content is None:
        assert not body, f"{method} {path} answered {status} with a body the document does not describe"
        return
    assert content_type.startswith("application/json"), f"{method} {path} answered {content_type}, not JSON"
    schema = {**content["application/json"]["schema"], "components": openapi_document()["components"]}
    errors = sorted(Draft202012Validator(schema).iter_errors(json.loads(body)), key=str)
    assert not errors, f"{method} {path} answered {status} against its OpenAPI schema: " + "; ".join(
        f"{'/'.join(map(str, error.absolute_path)) or 'the body'}: {error.message}" for error in errors[:5])
