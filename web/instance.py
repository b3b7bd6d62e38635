"""The instance folder, readable by its owner alone: it holds every password hash and submission.

The folder is made 0700 and each file in it 0600, those of an older install included. The
SQLite databases are created here, empty and 0600, before SQLite opens them: SQLite gives
the -wal and -shm files it makes later the mode of their database file.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` if needed and leave it and every file in it to their owner alone.

    Paths this process does not own (a folder an administrator prepared for another user) are
    left as they are: only their owner may change their mode.
    """
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink() and path.stat().st_uid == os.geteuid():
            path.chmod(PRIVATE_FOLDER if path.is_dir() else PRIVATE_FILE)


def create_private_file(path: Path) -> None:
    """Create ``path`` empty and 0600 unless it exists (O_EXCL: no race with another process)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        pass


def prepare_sqlite_file(url: str) -> None:
    """For an SQLite file URL (``sqlite:`` or kombu's ``sqla+sqlite:``), create the file 0600 first."""
    url = url.removeprefix("sqla+")
    if not url.startswith("sqlite"):
        return
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        path = Path(database)
        if path.parent.is_dir():
            create_private_file(path)


def keep_new_files_private() -> None:
    """For a long-running server process (web, worker, scheduler): every file it creates from now on,
    Celery beat's schedule in the instance folder among them, is created for its owner alone."""
    os.umask(0o077)
