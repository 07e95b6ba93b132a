"""The Django event log keeps the `EventLog` port's promises, on both databases; and its purge
goes in bounded batches, each raising the horizon it records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db.models import QuerySet

from adapters.persistence import models
from adapters.persistence.events.log import DjangoEventLog
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from application.ports.event_log import EventLog
from application.ports.unit_of_work import UnitOfWork
from tests.integration.persistence.conftest import DATABASES
from tests.support.event_log_contract import EventLogContract
from tests.support.migration_data import restore_migration_data


@pytest.mark.django_db(databases=DATABASES)
class TestDjangoEventLogKeepsTheContract(EventLogContract):
    @pytest.fixture(autouse=True)
    def _database(self, alias: str) -> None:
        self.alias = alias

    def make_store(self) -> tuple[UnitOfWork, EventLog]:
        return DjangoUnitOfWork(self.alias), DjangoEventLog(self.alias)


@pytest.mark.django_db(databases=DATABASES)
def test_a_purge_deletes_in_batches_each_raising_the_horizon(
    alias: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    uow, log = DjangoUnitOfWork(alias), DjangoEventLog(alias, batch_size=2)
    ids = TestDjangoEventLogKeepsTheContract().written(uow, log, 5)
    horizons: list[int] = []  # the horizon as each batch's deletion starts
    delete = QuerySet.delete

    def watched(queryset: QuerySet[Any]) -> tuple[int, dict[str, int]]:
        if queryset.model is models.OutboxEvent:
            horizons.append(DjangoEventLog(alias)._horizon())
        return delete(queryset)

    monkeypatch.setattr(QuerySet, "delete", watched)
    purged = log.purge_older_than(datetime.now(UTC) + timedelta(seconds=1))

    assert purged == 5
    assert horizons == [0, ids[1], ids[3]]  # three batches: 2, 2 and 1 rows
    horizon = models.EventLogHorizon.objects.using(alias).get()
    assert horizon.purged_through == ids[-1]
    assert horizon.purged_at is not None


@pytest.mark.django_db(databases=DATABASES)
def test_the_horizon_comes_back_when_its_row_is_gone(alias: str) -> None:
    uow, log = DjangoUnitOfWork(alias), DjangoEventLog(alias)
    ids = TestDjangoEventLogKeepsTheContract().written(uow, log, 2)
    models.EventLogHorizon.objects.using(alias).all().delete()  # as a test database flush does
    assert log.is_kept(0)

    assert log.purge_older_than(datetime.now(UTC) + timedelta(seconds=1)) == 2

    assert not log.is_kept(ids[0])
    assert log.latest_id() == ids[-1]


@pytest.mark.django_db(databases=DATABASES)
def test_the_migration_leaves_one_horizon_at_zero(alias: str) -> None:
    restore_migration_data(alias)  # what an earlier transactional test may have flushed
    assert list(
        models.EventLogHorizon.objects.using(alias).values_list("id", "purged_through")
    ) == [(1, 0)]
