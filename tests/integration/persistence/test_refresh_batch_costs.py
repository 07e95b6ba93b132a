"""Storing a refreshed batch costs a fixed number of transactions and queries whatever its size,
alert evaluation included: N readings with one active rule each cost what 10 times as many do.

The unit of work is the one the container gives a worker (`container.unit_of_work`: the Django
unit of work on its own message bus with the core's handlers, wired by the core's bootstrap), on
the database under test with a fake clock and task queue, so the rules are evaluated as a worker
evaluates them, after the batch's commit, for the whole batch at once.
"""

from __future__ import annotations

import attrs
import pytest
from dependency_injector import providers
from django.core.cache import caches
from django.db import connections
from django.test.utils import CaptureQueriesContext

from adapters.persistence import models
from application.refresh.pipeline import RefreshPipeline
from application.refresh.plan import Batch
from domain.locations import Coordinates
from server_config.container import container
from tests.integration.persistence.conftest import DATABASES
from tests.support.builders import NOW, a_location, a_rule
from tests.support.fakes.clock import FakeClock
from tests.support.fakes.providers import FakeWeatherProvider
from tests.support.fakes.task_queue import FakeTaskQueue

pytestmark = pytest.mark.django_db(databases=DATABASES)

TRANSACTIONS = ("SAVEPOINT", "BEGIN")  # inside a test's transaction a unit of work is a savepoint
TRANSACTION_CONTROL = (*TRANSACTIONS, "RELEASE", "ROLLBACK", "COMMIT")


@attrs.frozen
class Cost:
    transactions: int
    queries: int
    alerts: int
    deliveries: int


def store_a_batch(alias: str, size: int) -> Cost:
    """`size` locations with one active rule each, the reading crossing every rule: the cost of
    storing the provider's answer, and what it raised."""
    clock, tasks = FakeClock(NOW), FakeTaskQueue()
    with (
        container.config.database.alias.override(alias),
        container.clock.override(providers.Object(clock)),
        container.task_queue.override(providers.Object(tasks)),
    ):
        uow = container.unit_of_work()
    places = tuple(
        a_location(name=f"Place {index}", coordinates=Coordinates(index, size))
        for index in range(size)
    )
    with uow:
        for place in places:
            uow.locations.add(place)
            uow.alerts.add_rule(
                a_rule(place.id, threshold=10.0, webhook_url="https://hooks.example.com/f")
            )
        uow.commit()
    pipeline = RefreshPipeline(uow, [FakeWeatherProvider(clock, max_batch_size=size)])
    fetched = pipeline.fetch(Batch(places))  # 18.5 °C everywhere: every rule is crossed
    caches["default"].clear()

    with CaptureQueriesContext(connections[alias]) as captured:
        outcome = pipeline.store(fetched)

    assert outcome.observations_stored == size
    statements = [query["sql"].lstrip().upper() for query in captured.captured_queries]
    stored_alerts = models.Alert.objects.using(alias).filter(
        location_id__in=fetched.batch.location_ids
    )
    return Cost(
        transactions=sum(1 for sql in statements if sql.startswith(TRANSACTIONS)),
        queries=sum(1 for sql in statements if not sql.startswith(TRANSACTION_CONTROL)),
        alerts=stored_alerts.count(),
        deliveries=len(tasks.queued),
    )


def test_a_batch_and_its_alert_rules_cost_the_same_for_ten_times_as_many_readings(
    alias: str,
) -> None:
    small, large = store_a_batch(alias, 4), store_a_batch(alias, 40)

    assert (small.alerts, large.alerts) == (4, 40)  # every rule raised, once
    assert (small.deliveries, large.deliveries) == (4, 40)
    assert (small.transactions, small.queries) == (large.transactions, large.queries)
    # the batch's unit of work, then one for all of its rules
    assert small.transactions == 2
