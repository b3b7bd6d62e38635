"""What the broker holds: its identity (Redis's run id) and the ids of the grading tasks still in its queues.

Read with redis-py from the keys kombu's Redis transport keeps, as its documented transport options name
them: each queue is a list (messages of a priority above 0 in lists suffixed by ``sep`` and the priority),
and a message delivered but not yet acknowledged (``acks_late``: a grading under way, or a retry a worker
holds until its time) is kept in the ``unacked_key`` hash. Each message is JSON whose ``headers.id`` is the
task id. Other brokers cannot be inspected this way: :func:`inspect` returns None for them, and the sweep
then sends a queued row again only after REQUEUE_AFTER_SECONDS, as it always did.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import redis
from celery import Celery

# kombu's Redis transport defaults for the transport options read here.
DEFAULT_SEP, DEFAULT_PRIORITY_STEPS, DEFAULT_UNACKED_KEY = "\x06\x16", (0, 3, 6, 9), "unacked"
TIMEOUT_SECONDS = 3.0
"""How long the sweep waits on Redis: a broker that does not answer must not hold up the database's part."""


class RedisQueues:
    """A Redis broker's identity and the task ids in its queues."""

    def __init__(self, url: str, options: dict[str, Any]) -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=TIMEOUT_SECONDS,
                                           socket_connect_timeout=TIMEOUT_SECONDS)
        self.prefix = str(options.get("global_keyprefix", ""))
        self.sep = str(options.get("sep", DEFAULT_SEP))
        self.steps = tuple(options.get("priority_steps", DEFAULT_PRIORITY_STEPS))
        self.unacked = self.prefix + str(options.get("unacked_key", DEFAULT_UNACKED_KEY))

    def identity(self) -> str:
        """The server's run id: a new one after every restart, and on the replica that takes over a failover."""
        return str(self.client.info("server")["run_id"])

    def task_ids(self, queues: Iterable[str]) -> set[str]:
        """Every task id waiting in ``queues`` or delivered and not yet acknowledged, read in one transaction."""
        keys = [self.prefix + (queue if not step else f"{queue}{self.sep}{step}")
                for queue in queues for step in self.steps]
        with self.client.pipeline(transaction=True) as pipe:
            for key in keys:
                pipe.lrange(key, 0, -1)
            pipe.hvals(self.unacked)
            *waiting, unacked = pipe.execute()
        ids = {json.loads(raw)["headers"]["id"] for messages in waiting for raw in messages}
        ids.update(json.loads(raw)[0]["headers"]["id"] for raw in unacked)
        return ids

    def close(self) -> None:
        self.client.close()


def inspect(celery: Celery) -> RedisQueues | None:
    """The broker of ``celery`` if it can be inspected (Redis), else None."""
    url = str(celery.conf.broker_url)
    if not url.startswith(("redis://", "rediss://")):
        return None
    return RedisQueues(url, dict(celery.conf.broker_transport_options or {}))
