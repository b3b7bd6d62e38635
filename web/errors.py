"""One JSON error shape for the API, and plain pages for the browser."""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app, jsonify, render_template, request
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

log = logging.getLogger(__name__)
DATABASE_DOWN = "The service cannot reach its database right now; nothing was saved. Please try again in a minute."
DATABASE_RETRY_SECONDS = 60
# GradeGrad's own words for the errors Werkzeug describes in its own (an abort() with a message keeps it).
PLAIN_ERRORS = {
    403: ("Not allowed", "Your account may not open this page."),
    404: ("Page not found", "There is nothing at this address: the link may be mistyped or out of date."),
    405: ("Not allowed here", "This address does not take that kind of request: open it as a page, "
                              "or send its form from the page it belongs to."),
    500: ("Something went wrong", "The server failed to answer this request and has logged why. Please try again; "
                                  "if it keeps happening, tell your instructor what you were doing."),
}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> tuple[Response, int]:
    """The API's only error shape: ``{"error": MESSAGE}`` with a fitting status."""
    response = jsonify(error=message)
    response.headers.update(headers or {})
    return response, status


def init_app(app: Flask) -> None:
    app.register_error_handler(RequestEntityTooLarge, handle_too_large)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(InterfaceError, handle_database_down)


def handle_http_error(exc: HTTPException) -> tuple[Response, int] | tuple[str, int]:
    status = exc.code or 500
    title, message = PLAIN_ERRORS.get(status, (exc.name, exc.description or exc.name))
    if exc.description and exc.description != type(exc).description:
        message = exc.description
    return error_page(status, title, message)


def handle_too_large(exc: RequestEntityTooLarge) -> tuple[Response, int] | tuple[str, int]:
    limit = current_app.config["MAX_UPLOAD_BYTES"] // 1024
    return error_page(413, exc.name, f"The upload is too large: files up to {limit} KiB are accepted. "
                                     "Nothing was submitted.")


def handle_database_down(exc: OperationalError | InterfaceError) -> tuple[Response, int] | tuple[str, int]:
    log.error("database unreachable on %s %s: %s", request.method, request.path, exc)
    if request.path.startswith("/api/"):
        return error_response(503, DATABASE_DOWN, {"Retry-After": str(DATABASE_RETRY_SECONDS)})
    # A page of its own: base.html would ask the database who is signed in.
    return render_template("unavailable.html", message=DATABASE_DOWN), 503


def error_page(status: int, title: str, message: str) -> tuple[Response, int] | tuple[str, int]:
    if request.path.startswith("/api/"):
        return error_response(status, message)
    return render_template("error.html", status=status, title=title, message=message), status
