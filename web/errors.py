"""One JSON error shape for the API, and plain pages for the browser."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


def error_response(status: int, message: str) -> tuple[Response, int]:
    """The API's only error shape: ``{"error": MESSAGE}`` with a fitting status."""
    return jsonify(error=message), status


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_error)


def handle_http_error(exc: HTTPException) -> tuple[Response, int] | tuple[str, int]:
    status = exc.code or 500
    if request.path.startswith("/api/"):
        return error_response(status, exc.description or exc.name)
    return render_template("error.html", status=status, title=exc.name, message=exc.description), status
