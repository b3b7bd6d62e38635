"""The embedded broker wakes its consumers: a message sent, or one acknowledged by a full consumer, is taken at
once rather than at the next poll, which these tests put an hour away."""

from __future__ import annotations

import socket
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kombu import Connection, Consumer, Exchange, Producer, Queue
from kombu.message import Message

from web import create_app
from web.woken_broker import Doorbell, Transport, wake_all, wake_folder

HOUR = 3600.0
DEADLINE = 120.0
"""How long a consumer may wait for a message that is there: on a busy machine a read takes a while, yet far
less than the hour the poll is put away."""
QUEUE = Queue("live", Exchange("live", type="direct"), routing_key="live")


@pytest.fixture
def broker_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(Transport, "polling_interval", HOUR)
    return f"sqlite:///{tmp_path / 'broker.sqlite3'}"


@pytest.fixture
def connect(broker_url: str) -> Iterator[Callable[[], Connection]]:
    """Opens connections to the broker through the woken transport; all are closed at the end."""
    opened: list[Connection] = []

    def open_one() -> Connection:
        opened.append(Connection(broker_url, transport="web.woken_broker:Transport"))
        return opened[-1]

    yield open_one
    for connection in opened:
        connection.release()


def send(connection: Connection, body: str) -> None:
    Producer(connection.channel()).publish(body, exchange=QUEUE.exchange, routing_key="live", declare=[QUEUE])


def drain_in_background(connection: Connection) -> None:
    """Wait for the next message as a worker does, for up to an hour: kombu's own transport sleeps through
    the hour's poll, however soon a message comes."""
    threading.Thread(target=connection.drain_events, kwargs={"timeout": HOUR}, daemon=True).start()


def wait_for(received: list[Message], count: int) -> list[str]:
    deadline = time.monotonic() + DEADLINE
    while len(received) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return [message.payload for message in received]


def test_a_message_sent_while_the_consumer_waits_is_taken_at_once(connect):
    received: list[Message] = []
    consumer_connection, sender = connect(), connect()
    with Consumer(consumer_connection.channel(), [QUEUE], callbacks=[lambda body, message: received.append(message)]):
        drain_in_background(consumer_connection)
        time.sleep(1)  # the consumer has found the queue empty and waits
        send(sender, "graded #1")
        assert wait_for(received, 1) == ["graded #1"]


def test_acknowledging_frees_a_full_consumer_to_take_the_next_message_at_once(connect):
    received: list[Message] = []
    consumer_connection, sender = connect(), connect()
    channel = consumer_connection.channel()
    channel.basic_qos(0, 1, False)  # one message at a time, as worker_prefetch_multiplier = 1 with one process
    send(sender, "first")
    send(sender, "second")
    with Consumer(channel, [QUEUE], callbacks=[lambda body, message: received.append(message)]):
        consumer_connection.drain_events(timeout=DEADLINE)
        assert wait_for(received, 1) == ["first"]
        drain_in_background(consumer_connection)
        time.sleep(1)  # the consumer, full, waits
        received[0].ack()  # as a worker does once its grading process is done, from another thread
        assert wait_for(received, 2) == ["first", "second"]


def test_a_dead_consumers_doorbell_is_removed_by_the_next_send(tmp_path):
    folder = tmp_path / "broker.sqlite3-wake"
    live, dead = Doorbell(folder), Doorbell(folder)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # in the instance folder: its owner's alone
    dead.socket.close()  # as if its process were killed: the file stays, nobody reads it
    wake_all(folder)
    assert sorted(path.name for path in folder.iterdir()) == [live.name]
    live.socket.settimeout(DEADLINE)
    assert live.socket.recv(16) == b"!"
    live.close()
    assert list(folder.iterdir()) == []


def test_the_embedded_broker_uses_the_woken_transport_and_its_folder_beside_the_broker_file(tmp_path):
    app = create_app({"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite3'}",
                      "BROKER_URL": f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"})
    celery = app.extensions["celery"]
    assert (celery.conf.broker_url, celery.conf.broker_transport) == (
        f"sqlite:///{tmp_path / 'broker.sqlite3'}", "web.woken_broker:Transport")
    assert wake_folder(celery.conf.broker_url) == tmp_path / "broker.sqlite3-wake"
    app.extensions["db_engine"].dispose()
    celery.close()


def test_a_doorbell_in_a_folder_whose_path_is_longer_than_a_socket_address(tmp_path):
    folder = tmp_path / ("x" * 100) / "broker.sqlite3-wake"  # an AF_UNIX address holds 108 bytes
    folder.parent.mkdir()
    doorbell = Doorbell(folder)
    wake_all(folder)
    doorbell.socket.settimeout(DEADLINE)
    assert doorbell.socket.recv(16) == b"!" and doorbell.socket.family == socket.AF_UNIX
    doorbell.close()
