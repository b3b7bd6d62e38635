"""Security headers on every response, cookie flags, and trusting a reverse proxy's X-Forwarded-* when told to."""

from __future__ import annotations

import mimetypes
import secrets

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

# Everything is served from this origin: no CDN, no inline script, no inline style but by a page's nonce
# (style_nonce), no framing.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# nosniff makes a browser trust the served type; Python knows .woff2 only from the host's mime.types, which
# a slim image lacks, so the statements' math font would go out as application/octet-stream.
mimetypes.add_type("font/woff2", ".woff2")
STYLE_NONCE = "gradegrad.style_nonce"  # kept in the request's WSGI environ: one nonce per request
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def style_nonce() -> str:
    """A nonce for this response's CSP style-src, for a page whose script injects its own styles.

    The exercise page's editor (CodeMirror) puts its styles in a <style> element it creates, and
    CodeMirror's way under a CSP is a nonce (EditorView.cspNonce). Only a page that asks for one
    gets it, fresh per response; scripts stay 'self' only.
    """
    return str(request.environ.setdefault(STYLE_NONCE, secrets.token_urlsafe(18)))


def init_app(app: Flask) -> None:
    """PROXY_FIX_HOPS > 0 trusts that many proxies' X-Forwarded-For/-Proto/-Host (so HTTPS is seen as such)."""
    hops = int(app.config.get("PROXY_FIX_HOPS") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    app.session_interface = SessionInterface()
    app.after_request(add_headers)
    app.jinja_env.globals["style_nonce"] = style_nonce


def add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if STYLE_NONCE in request.environ:
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
            "style-src 'self'", f"style-src 'self' 'nonce-{request.environ[STYLE_NONCE]}'")
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie, marked Secure whenever the request came over HTTPS (or SESSION_COOKIE_SECURE says so).

    Over plain HTTP (development, the tests) a Secure cookie would never come back, so it cannot be always on.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or request.is_secure
