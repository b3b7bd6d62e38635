"""kombu's SQLAlchemy transport on SQLite, woken when there is work instead of polling every few milliseconds.

kombu's virtual transports sleep ``polling_interval`` between empty reads of the queue tables: polled every
50 ms, an idle worker spent about 7 % of a core. Here each consumer waits on a Unix datagram socket of its own,
in a folder beside the broker's file (``broker.sqlite3-wake/``), and every process that sends a message (the web,
beat's sweep, a worker's retry) sends a byte to each socket there once the message is committed. A consumer also
wakes itself when it acknowledges or rejects a message, which frees room to take the next one. The poll interval
is then only the backstop for a wake-up that never came (a sender that does not use this transport).

SQLite's file is on the machine of every process that uses it, so its folder is too. Sockets are reached
through ``/proc/self/fd/<folder>/<name>``: an instance folder's path may be longer than a socket's address
(108 bytes).
"""

from __future__ import annotations

import os
import secrets
import select
import socket
from pathlib import Path
from time import monotonic
from typing import Any

from kombu.transport import sqlalchemy, virtual
from sqlalchemy.engine import make_url

from web.instance import make_private_folder

WAKE = b"!"


def wake_folder(sqlite_url: str) -> Path:
    """The folder of the wake-up sockets of the SQLite broker at ``sqlite_url``."""
    return Path(f"{make_url(sqlite_url).database}-wake")


def wake_all(folder: Path) -> None:
    """Send a wake-up to every consumer's socket in ``folder``; remove the sockets nobody reads any more."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:  # no consumer has started yet
        return
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
            sender.setblocking(False)
            for name in os.listdir(fd):
                try:
                    sender.sendto(WAKE, f"/proc/self/fd/{fd}/{name}")
                except ConnectionRefusedError:  # left by a consumer that died
                    unlink_quietly(name, fd)
                except (BlockingIOError, FileNotFoundError):  # already woken, or just closed
                    pass
    finally:
        os.close(fd)


def unlink_quietly(name: str, folder_fd: int) -> None:
    try:
        os.unlink(name, dir_fd=folder_fd)
    except FileNotFoundError:
        pass


class Doorbell:
    """One consumer's socket in the wake folder: :meth:`wait` returns early once anyone rings it."""

    def __init__(self, folder: Path) -> None:
        make_private_folder(folder)
        self.folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        self.name = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.address = f"/proc/self/fd/{self.folder_fd}/{self.name}"
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(self.address)
        self.socket.setblocking(False)

    def wait(self, seconds: float) -> None:
        """Wait until a wake-up arrives or ``seconds`` pass; take every wake-up waiting, as one is enough."""
        readable, _, _ = select.select([self.socket], [], [], seconds)
        while readable:
            try:
                self.socket.recv(16)
            except BlockingIOError:
                break

    def ring(self) -> None:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sender:
            sender.setblocking(False)
            try:
                sender.sendto(WAKE, self.address)
            except BlockingIOError:  # already rung
                pass

    def close(self) -> None:
        self.socket.close()
        unlink_quietly(self.name, self.folder_fd)
        os.close(self.folder_fd)


class QoS(virtual.QoS):
    """Rings this consumer's own doorbell when a message is settled: it may take another one now."""

    def ack(self, delivery_tag: Any) -> None:
        super().ack(delivery_tag)
        self.channel.connection.ring_own()

    def reject(self, delivery_tag: Any, requeue: bool = False) -> None:
        super().reject(delivery_tag, requeue=requeue)
        self.channel.connection.ring_own()


class Channel(sqlalchemy.Channel):
    QoS = QoS

    # kombu's own signatures differ between its levels; these are the SQLAlchemy transport's.
    def _put(self, queue: Any, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]
        super()._put(queue, payload, **kwargs)  # committed when it returns
        wake_all(self.connection.wake_folder)


class Transport(sqlalchemy.Transport):
    """Celery's ``broker_transport`` for a ``sqlite:`` broker URL (web/queue.py chooses it for ``sqla+sqlite:``)."""

    Channel = Channel
    cycle: Any  # kombu's FairCycle over the channels, made in __init__

    def __init__(self, client: Any, **kwargs: Any) -> None:
        super().__init__(client, **kwargs)
        self.wake_folder = wake_folder(client.hostname)
        self.doorbell: Doorbell | None = None

    def drain_events(self, connection: Any, timeout: float | None = None) -> None:  # type: ignore[override]
        """kombu's loop (virtual.Transport.drain_events) with its sleep between empty reads replaced by a
        wait on this consumer's doorbell; the doorbell exists before the first read, so no wake-up is missed."""
        if self.doorbell is None:
            self.doorbell = Doorbell(self.wake_folder)
        started = monotonic()
        while True:
            try:
                self.cycle.get(self._deliver, timeout=timeout)
                return
            except virtual.Empty:
                wait = self.polling_interval
                if timeout is not None:
                    left = timeout - (monotonic() - started)
                    if left <= 0:
                        raise TimeoutError() from None  # socket.timeout, which synloop expects
                    wait = min(wait, left)
                self.doorbell.wait(wait)

    def ring_own(self) -> None:
        if self.doorbell is not None:
            self.doorbell.ring()

    def close_connection(self, connection: Any) -> None:
        super().close_connection(connection)
        if self.doorbell is not None:
            self.doorbell.close()
            self.doorbell = None
