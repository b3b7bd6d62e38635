"""The OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

from web.models import Status

ERROR = {"$ref": "#/components/schemas/Error"}
HISTORY_PER_PAGE = 200  # GET /submissions: the page size when none is asked for, and the largest one may ask for


def response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again",
                               "schema": {"type": "integer", "minimum": 1}}}


def errors(*statuses: int) -> dict[str, Any]:
    answers = {str(status): response("An error; the message says why", ERROR) for status in statuses}
    for status in {"429", "503"} & answers.keys():
        answers[status]["headers"] = RETRY_AFTER
    return answers


def strict(required: list[str], properties: dict[str, Any]) -> dict[str, Any]:
    """An object schema that names every field it may carry: a field the code adds without saying
    so here fails the tests that validate every API answer against this document."""
    return {"type": "object", "required": required, "properties": properties, "additionalProperties": False}


TEXT, OPTIONAL_TEXT = {"type": "string"}, {"type": ["string", "null"]}
TIME = {"type": ["string", "null"], "description": "ISO 8601, UTC"}
# An answer's or an expected value's numbers: floats, nested lists, or the strings NaN, Infinity and
# -Infinity (strict JSON has no token for them).
VALUES: dict[str, Any] = {"description": "Numbers, nested lists of numbers, or the strings NaN, Infinity, -Infinity"}
SCHEMAS: dict[str, Any] = {
    "Error": strict(["error"], {"error": TEXT}),
    "Token": strict(["token", "username", "role", "expires_at"], {
        "token": TEXT, "username": TEXT, "role": {"enum": ["student", "instructor"]},
        "expires_at": {"type": "string", "description": "When the token stops working (UTC)"}}),
    "Exercise": strict(["name", "title", "signature", "opens_at", "due_at"], {
        "name": TEXT, "title": TEXT, "signature": TEXT, "opens_at": TIME, "due_at": TIME}),
    "ExerciseDetail": strict(["name", "title", "signature", "opens_at", "due_at", "hints", "hints_total",
                              "failed_attempts", "next_hint_after", "solution"], {
        "name": TEXT, "title": TEXT, "signature": TEXT, "opens_at": TIME,
        "due_at": {**TIME, "description": "ISO 8601, UTC: this user's due date, an extension included"},
        "hints": {"type": "array", "items": TEXT,
                  "description": "The hints this user's failed graded attempts unlocked, first first (Markdown)"},
        "hints_total": {"type": "integer", "description": "How many hints the exercise has"},
        "failed_attempts": {"type": "integer", "description": "This user's graded attempts that did not pass"},
        "next_hint_after": {"type": ["integer", "null"], "description": "Failed attempts still needed to unlock "
                            "the next hint; null when all are unlocked or hints never unlock"},
        "solution": {"type": ["string", "null"], "description": "The worked solution's source, once this user's "
                     "due date has passed (always for instructors); null before, or when there is none"}}),
    "Case": strict(["name", "passed", "message", "kind", "hint", "traceback"], {
        "name": TEXT, "passed": {"type": ["boolean", "null"],
                                 "description": "null when the instructor hides hidden cases' verdicts"},
        "message": TEXT, "kind": TEXT, "hint": OPTIONAL_TEXT, "traceback": OPTIONAL_TEXT}),
    "Sample": strict(["name", "passed", "message", "inputs", "expected", "got"], {
        "name": TEXT, "passed": {"type": "boolean"}, "message": TEXT, "hint": OPTIONAL_TEXT,
        "inputs": {"type": "object", "additionalProperties": VALUES},
        "expected": {"type": "object", "additionalProperties": VALUES},
        "got": {"type": "object", "additionalProperties": VALUES},
        "traceback": {"type": ["string", "null"], "description": "The code's own traceback lines when the sample "
                                                                 "raised (absent from reports graded before it)"}}),
    "Submission": strict(["id", "exercise", "status", "filename", "created_at", "days_late"], {
        "id": {"type": "integer"}, "exercise": TEXT,
        "status": {"enum": [status.value for status in Status]},
        "filename": TEXT, "created_at": TEXT, "days_late": {"type": "integer"},
        "seed": {"type": "integer", "description": "Instructors only: the seed of the hidden suite, which with "
                                                   "the deployment's case key reproduces its cases"},
        "score": {"type": "number", "description": "Once graded: the fraction of hidden cases passed"},
        "effective_score": {"type": ["number", "null"], "description": "The score after the late policy"},
        "passed": {"type": "boolean"}, "error": OPTIONAL_TEXT,
        "cases": {"type": "array", "items": {"$ref": "#/components/schemas/Case"}},
        "hints": {"type": "array", "items": TEXT},
        "notes": {"type": "array", "items": TEXT, "description": "What of the uploaded file is not run when "
                                                                 "graded, and why (empty for older submissions)"},
        "samples": {"type": "array", "items": {"$ref": "#/components/schemas/Sample"}},
        "output": {"type": "string", "description": "What the code printed on the public samples alone"},
        "hidden_output": {"type": "string", "description": "Instructors only: what the code printed in the "
                                                          "graded run, hidden cases included"}}),
    "Check": strict(["id", "exercise", "status", "filename", "created_at"], {
        "id": {"type": "integer"}, "exercise": TEXT,
        "status": {"enum": [status.value for status in Status],
                   "description": "graded once every sample was run and judged; error when the check could not run"},
        "filename": TEXT, "created_at": TEXT,
        "passed": {"type": "boolean", "description": "Once finished: whether every public sample passed"},
        "error": OPTIONAL_TEXT,
        "samples": {"type": "array", "items": {"$ref": "#/components/schemas/Sample"},
                    "description": "Every public sample, passed or not, with its inputs, expected and got values"},
        "output": {"type": "string", "description": "What the code printed on the public samples"}}),
}


def openapi_document() -> dict[str, Any]:
    submission, check = {"$ref": "#/components/schemas/Submission"}, {"$ref": "#/components/schemas/Check"}
    submission_body = {
        "application/json": {"schema": {"type": "object", "required": ["exercise", "source"],
                                        "properties": {"exercise": {"type": "string"}, "source": {"type": "string"}}}},
        "multipart/form-data": {"schema": {"type": "object", "required": ["exercise", "file"],
                                           "properties": {"exercise": {"type": "string"},
                                                          "file": {"type": "string", "format": "binary"}}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "GradeGrad API", "version": "1",
                 "description": "Submit gradient functions for grading and read the results. "
                                "Every call but POST /tokens needs 'Authorization: Bearer TOKEN'; a token "
                                "expires (see expires_at) and DELETE /tokens/current revokes it. A 429 carries "
                                "Retry-After: the seconds until the next submission or check (or, after too many "
                                "failed sign-ins, the next try) is allowed."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {
            "/tokens": {"post": {
                "summary": "Exchange a username and password for an API token", "security": [],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["username", "password"],
                    "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}}}},
                "responses": {"201": response("A new token", {"$ref": "#/components/schemas/Token"}),
                    **errors(400, 401, 403, 429)}}},
            "/tokens/current": {"delete": {
                "summary": "Revoke the token this request is sent with: it stops working at once",
                "responses": {"204": {"description": "Revoked"}, **errors(401)}}},
            "/exercises": {"get": {
                "summary": "The published exercises",
                "responses": {"200": response("The exercises", {"type": "array", "items": {
                    "$ref": "#/components/schemas/Exercise"}}), **errors(401)}}},
            "/exercises/{name}": {"get": {
                "summary": "One exercise: the hints your failed attempts unlocked, and its solution once you are "
                           "past your due date",
                "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": response("The exercise", {"$ref": "#/components/schemas/ExerciseDetail"}),
                              **errors(401, 404)}}},
            "/submissions": {
                "post": {
                    "summary": "Submit source (JSON) or a .py/.ipynb file (multipart) for grading",
                    "requestBody": {"required": True, "content": submission_body},
                    "responses": {"202": response("Queued", submission), **errors(400, 401, 403, 404, 413, 429, 503)}},
                "get": {"summary": f"Your own submissions, newest first, a page at a time: the newest "
                                   f"{HISTORY_PER_PAGE} unless a page is asked for. Past the last page: 404",
                        "parameters": [
                            {"name": "page", "in": "query", "required": False,
                             "description": "Which page, from 1 (the newest)",
                             "schema": {"type": "integer", "minimum": 1, "default": 1}},
                            {"name": "per_page", "in": "query", "required": False,
                             "description": "Submissions a page",
                             "schema": {"type": "integer", "minimum": 1, "maximum": HISTORY_PER_PAGE,
                                        "default": HISTORY_PER_PAGE}}],
                        "responses": {"200": response("Your history", {"type": "array", "items": submission}),
                                      **errors(400, 401, 404)}}},
            "/checks": {"post": {
                "summary": "Check source (JSON) or a .py/.ipynb file (multipart) against the public samples alone: "
                           "no attempt is spent and nothing is graded or listed in your history. Limited to "
                           "CHECKS_PER_MINUTE checks a minute (429 with Retry-After past it)",
                "requestBody": {"required": True, "content": submission_body},
                "responses": {"202": response("Queued", check), **errors(400, 401, 404, 413, 429, 503)}}},
            "/checks/{id}": {"get": {
                "summary": "A check's status, and every sample's expected and got values once finished",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}],
                "responses": {"200": response("The check", check), **errors(401, 404)}}},
            "/submissions/{id}": {"get": {
                "summary": "A submission's status, and its result once graded",
                "parameters": [{"name": "id", "in": "path", "required": True,
                                "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}],
                "responses": {"200": response("The submission", submission), **errors(401, 404)}}},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
    }
