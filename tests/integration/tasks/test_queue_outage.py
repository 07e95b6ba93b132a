"""`CeleryTaskQueue` over a broker that refuses or never answers: the domain's QueueUnavailable,
quickly (one retry of the publish, a 3 s connection timeout), never kombu's own error."""

from __future__ import annotations

import time
import uuid

import pytest

from adapters.tasks.queue import CeleryTaskQueue
from domain.errors import QueueUnavailable
from tests.support.celery_apps import celery_app
from tests.support.processes import free_port, silent_listener


def queue_on(broker_url: str) -> CeleryTaskQueue:
    return CeleryTaskQueue(celery_app("outage-test", broker_url))


def test_a_refusing_broker_is_queue_unavailable_within_seconds() -> None:
    queue = queue_on(f"amqp://guest:guest@127.0.0.1:{free_port()}//")
    started = time.monotonic()

    with pytest.raises(QueueUnavailable, match="cannot be reached"):
        queue.enqueue_refresh_location(uuid.uuid4())

    assert time.monotonic() - started < 3


def test_a_silent_broker_is_queue_unavailable_within_its_timeouts() -> None:
    with silent_listener() as port:
        queue = queue_on(f"amqp://guest:guest@127.0.0.1:{port}//")
        started = time.monotonic()

        with pytest.raises(QueueUnavailable):
            queue.enqueue_refresh_all()

        assert time.monotonic() - started < 8
