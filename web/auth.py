"""Passwords (argon2), API tokens (stored as SHA-256), sign-in and the role checks."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, abort
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session, joinedload

from web.models import ROLES, ApiToken, User, utcnow
from web.spreadsheet import FORMULA_STARTS, formula_like

hasher = PasswordHasher()
login_manager = LoginManager()
login_manager.login_view = "student.login"
login_manager.login_message = "Please sign in first."
csrf = CSRFProtect()

F = TypeVar("F", bound=Callable[..., Any])
DEACTIVATED = "This account is deactivated: ask your instructor"
TOKEN_USE_RESOLUTION = timedelta(minutes=1)
TOKEN_LIFETIME = timedelta(days=120)  # a semester and its exams: API_TOKEN_DAYS's default


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    csrf.init_app(app)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session cookie, unless its session was ended (see User.get_id and end_sessions)."""
    from web.db import get_session

    user_id, _, version = session_id.partition(".")
    if not (user_id.isdigit() and version.isdigit()):
        return None  # a cookie from before sessions had versions: sign in again
    user = get_session().get(User, int(user_id))
    return user if user is not None and user.active and user.session_version == int(version) else None


def end_sessions(session: Session, user: User) -> None:
    """End every signed-in session of ``user``: a cookie kept from any of them no longer signs in."""
    session.execute(update(User).where(User.id == user.id).values(session_version=User.session_version + 1))


def create_user(session: Session, username: str, role: str, password: str | None = None) -> tuple[User, str]:
    """Add a user with ``password`` (or a generated one); returns the user and the password."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if not username or len(username) > 80 or username.strip() != username:
        raise ValueError("a username is 1 to 80 characters with no surrounding spaces")
    if formula_like(username):
        raise ValueError(f"a username may not start with {', '.join(FORMULA_STARTS[:4])} "
                         f"(a spreadsheet opening the gradebook would run it as a formula): {username!r}")
    if session.scalar(select(User).where(User.username == username)):
        raise ValueError(f"user '{username}' already exists")
    password = password or secrets.token_urlsafe(9)
    user = User(username=username, role=role, password_hash=hasher.hash(password))
    session.add(user)
    session.flush()
    return user, password


def reset_password(session: Session, user: User) -> str:
    """Give ``user`` a new generated password, returned to be shown once, and end their sessions and API tokens:
    whoever held the old password is signed out everywhere."""
    password = secrets.token_urlsafe(9)
    user.password_hash = hasher.hash(password)
    end_sessions(session, user)
    session.execute(update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))
    return password


def set_active(session: Session, user: User, active: bool) -> None:
    """Deactivate ``user`` (no sign-in, no API token works; their submissions stay), or make them active again.

    Deactivating ends their signed-in sessions at once; their tokens are refused while inactive
    and work again, unless expired, once the account is active.
    """
    user.active = active
    if not active:
        end_sessions(session, user)


class AccountDeactivated(Exception):
    """The password was right, but the account is deactivated."""


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user if the password is right, else None (the same answer for an unknown name)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        hasher.hash(password)  # spend the same time as a real check, so names can't be probed
        return None
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user


class TokenRefused(Exception):
    """An API token that does not let its bearer in; the message says why."""


def issue_token(session: Session, user: User, lifetime: timedelta = TOKEN_LIFETIME) -> str:
    """A new API token for ``user``, valid for ``lifetime``; only its hash is kept, so it is shown once."""
    token = "gg_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=token_hash(token), expires_at=utcnow() + lifetime))
    session.flush()
    return token


# Built once: every API request runs it, and building a query costs more CPU than running it.
TOKEN_ROW = select(ApiToken).options(joinedload(ApiToken.user)).where(ApiToken.token_hash == bindparam("hashed"))


def token_in_use(session: Session, token: str) -> ApiToken:
    """The row of a valid ``token``; raises TokenRefused for an unknown, revoked or expired one."""
    row = session.scalar(TOKEN_ROW, {"hashed": token_hash(token)}) if token else None
    if row is None:
        raise TokenRefused("Missing or invalid API token: send 'Authorization: Bearer TOKEN'")
    if row.revoked_at is not None:
        raise TokenRefused("This API token was revoked; sign in again for a new one")
    if not row.user.active:
        raise TokenRefused(DEACTIVATED)
    now = utcnow()
    if row.expires_at is not None and now >= row.expires_at:
        raise TokenRefused(f"This API token expired at {row.expires_at:%Y-%m-%d %H:%M} UTC; "
                           "sign in again for a new one")
    if row.last_used_at is None or now - row.last_used_at > TOKEN_USE_RESOLUTION:
        row.last_used_at = now  # at most once a minute: a write on every poll would cost more than it tells
    return row


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def instructor_required(view: F) -> F:
    """Let only a signed-in instructor through; a student gets 404, as if the page were not there."""
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not current_user.is_instructor:
            abort(404)
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
