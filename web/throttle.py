"""Failed sign-ins, counted per user name and per client address; past a limit, sign-in waits.

Only failures count, so a student who signs in often is never held up, and a guesser gets a
few tries per user every quarter of an hour. The per-address limit is higher, since a whole
classroom may share one address. Counts live in the `limits` library's storage: Redis when
SIGN_IN_LIMIT_STORAGE names one (shared by every web process), else each process's memory.
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app, request
from limits import RateLimitItem, parse, storage, strategies
from sqlalchemy.orm import Session

from web.auth import authenticate
from web.models import User

PER_USER = parse("10/15 minutes")
PER_ADDRESS = parse("100/15 minutes")
NAMESPACE = "gradegrad-failed-sign-in"


class SignInThrottle:
    def __init__(self, storage_uri: str) -> None:
        self.window = strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri))

    def wait_seconds(self, username: str) -> int:
        """Seconds until ``username`` may try to sign in from this address again; 0 when now."""
        waits = [math.ceil(self.window.get_window_stats(limit, *key).reset_time - time.time())
                 for limit, key in self._counters(username) if not self.window.test(limit, *key)]
        return max([1, *waits]) if waits else 0

    def failed(self, username: str) -> None:
        for limit, key in self._counters(username):
            self.window.hit(limit, *key)

    @staticmethod
    def _counters(username: str) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
        address = request.remote_addr or "unknown"
        return [(PER_USER, (NAMESPACE, "user", username.casefold())), (PER_ADDRESS, (NAMESPACE, "address", address))]


class TooManyFailures(Exception):
    """Sign-in is held back for ``wait`` seconds."""

    def __init__(self, wait: int) -> None:
        super().__init__(f"Too many failed sign-ins; try again in {math.ceil(wait / 60)} min")
        self.wait = wait


def init_app(app: Flask) -> None:
    app.extensions["sign_in_throttle"] = SignInThrottle(app.config["SIGN_IN_LIMIT_STORAGE"])


def sign_in(session: Session, username: str, password: str) -> User | None:
    """authenticate(), counting a failure; raises TooManyFailures, without checking, while held back."""
    throttle: SignInThrottle = current_app.extensions["sign_in_throttle"]
    wait = throttle.wait_seconds(username)
    if wait:
        raise TooManyFailures(wait)
    user = authenticate(session, username, password)
    if user is None:
        throttle.failed(username)
    return user
