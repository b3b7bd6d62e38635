"""Failed sign-ins, counted per user name and per client address; past a limit, sign-in waits.

Only failures count, so a student who signs in often is never held up, and a guesser gets a
few tries per user every quarter of an hour. The per-address limit is higher, since a whole
classroom may share one address. The failures are rows in the database, so every web
process sees the same counts, on the embedded default as on PostgreSQL.

Each try is stored, and committed, before its password is checked, and only then are the
tries counted: of any number of tries at once, the one whose count runs last sees every other
that passed its count, so no more than the limit are ever checked. A try that is held back,
or whose password was right, takes its row away again.
"""

from __future__ import annotations

import math
from datetime import timedelta

from flask import request
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from web.auth import DEACTIVATED, AccountDeactivated, authenticate
from web.models import FailedSignIn, User, utcnow

WINDOW = timedelta(minutes=15)
PER_USER, PER_ADDRESS = 10, 100


class TooManyFailures(Exception):
    """Sign-in is held back for ``wait`` seconds."""

    def __init__(self, wait: int) -> None:
        super().__init__(f"Too many failed sign-ins; try again in {math.ceil(wait / 60)} min")
        self.wait = wait


def sign_in(session: Session, username: str, password: str) -> User | None:
    """authenticate(), counting a failure; raises TooManyFailures, without checking, while held back, and
    AccountDeactivated for the right password of a deactivated account."""
    name, address = username.casefold()[:80], (request.remote_addr or "unknown")[:64]
    attempt = FailedSignIn(username=name, address=address)
    session.add(attempt)
    session.commit()  # seen by every try whose count runs after this one's
    wait = wait_seconds(session, name, address, attempt.id)
    if wait:
        session.delete(attempt)
        session.commit()
        raise TooManyFailures(wait)
    user = authenticate(session, username, password)
    if user is None:
        session.execute(delete(FailedSignIn).where(FailedSignIn.at < utcnow() - WINDOW))
    else:
        session.delete(attempt)
    session.commit()
    if user is not None and not user.active:
        raise AccountDeactivated(DEACTIVATED)
    return user


def wait_seconds(session: Session, username: str, address: str, attempt: int) -> int:
    """Seconds until the oldest other try that keeps a count at its limit leaves the window; 0 when none does."""
    now = utcnow()
    waits = []
    for column, value, limit in ((FailedSignIn.username, username, PER_USER),
                                 (FailedSignIn.address, address, PER_ADDRESS)):
        recent = list(session.scalars(select(FailedSignIn.at).where(column == value, FailedSignIn.at > now - WINDOW,
                                                                    FailedSignIn.id != attempt)
                                      .order_by(FailedSignIn.at.desc()).limit(limit)))
        if len(recent) == limit:
            waits.append(math.ceil((recent[-1] + WINDOW - now).total_seconds()))
    return max([1, *waits]) if waits else 0
