"""Import a class roster from CSV: one user per row, with a generated password where none is given."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from web.auth import create_user
from web.models import User


@dataclass
class RosterLine:
    username: str
    role: str
    password: str | None  # None for a user who already existed (their password is unchanged)


def import_roster(session: Session, text: str) -> list[RosterLine]:
    """Add the users of a CSV with a header ``username[,role][,password]``; existing users are kept.

    Raises ValueError naming the line of the first bad row.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or "username" not in [f.strip().lower() for f in reader.fieldnames]:
        raise ValueError("the CSV needs a header row with a 'username' column (and optionally role, password)")
    lines = []
    for number, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        username, role = row.get("username", ""), row.get("role") or "student"
        if not username:
            continue
        if session.scalar(select(User).where(User.username == username)):
            lines.append(RosterLine(username, role, None))
            continue
        try:
            _, password = create_user(session, username, role, row.get("password") or None)
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from None
        lines.append(RosterLine(username, role, password))
    return lines
