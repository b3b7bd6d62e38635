"""kombu's Redis transport, with one client per channel for its commands instead of a new client for each.

kombu makes a redis-py client for every message it publishes and every acknowledgement, and
each new client builds its table of about 170 reply handlers: 0.2 ms of CPU a time, a tenth
of the worker's main process at a hundred gradings a second. A client is only a handle on
the channel's connection pool, so one serves them all; it is dropped with the pool.
"""

from __future__ import annotations

from typing import Any

from kombu.transport import redis


class Channel(redis.Channel):
    _client_for_commands: Any = None

    def _create_client(self, asynchronous: bool = False) -> Any:
        if asynchronous:  # the event loop's own client, made once per channel already
            return super()._create_client(asynchronous=True)
        if self._client_for_commands is None:
            self._client_for_commands = super()._create_client()
        return self._client_for_commands

    def _disconnect_pools(self) -> None:
        self._client_for_commands = None
        super()._disconnect_pools()


class Transport(redis.Transport):
    Channel = Channel
