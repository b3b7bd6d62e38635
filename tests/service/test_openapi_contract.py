"""The OpenAPI document is valid, and the check that every API answer matches it has teeth."""

from __future__ import annotations

import json

import pytest
from flask import jsonify
from openapi_spec_validator import validate

from tests.openapi_contract import check_answer
from web.openapi import openapi_document

RIGHT = {"id": 1, "exercise": "mse_grad", "status": "queued", "filename": "a.py", "seed": 7,
         "created_at": "2026-12-01T10:00:00Z", "days_late": 0}


def test_the_document_is_a_valid_openapi_document():
    validate(openapi_document())


def test_a_documented_answer_passes():
    check_answer("GET", "http://127.0.0.1/api/v1/submissions/1", 200, "application/json", json.dumps(RIGHT).encode())


@pytest.mark.parametrize(("status", "body", "reason"), [
    (200, {**RIGHT, "secret": 1}, "Additional properties are not allowed ('secret' was unexpected)"),
    (200, {**RIGHT, "status": "lost"}, "status: 'lost' is not one of"),
    (200, {key: value for key, value in RIGHT.items() if key != "filename"}, "'filename' is a required property"),
    (418, {"error": "teapot"}, "answered 418, which the OpenAPI document does not list"),
], ids=["extra field", "unknown status", "missing field", "undocumented status"])
def test_an_answer_the_document_does_not_describe_fails(status, body, reason):
    with pytest.raises(AssertionError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        check_answer("GET", "/api/v1/submissions/1", status, "application/json", json.dumps(body).encode())


def test_every_api_answer_in_the_tests_is_checked(client, monkeypatch):
    """The autouse fixture of tests/conftest.py checks what Flask's test client receives."""
    assert client.get("/api/v1/submissions/1").status_code == 401
    monkeypatch.setattr("web.api.error_response", lambda status, message, headers=None: (
        jsonify(error=message, stack="leaked"), status))
    with pytest.raises(AssertionError, match=r"Additional properties are not allowed \('stack' was unexpected\)"):
        client.get("/api/v1/submissions/1")
