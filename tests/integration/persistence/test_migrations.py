"""Migration 0004 on a database holding rows from before it, on SQLite and PostgreSQL: rows are
written with the historical models of 0003, the database is migrated forward (and back), and
what comes out is read through the repositories, as the application will read it.

- alert rule owners become foreign keys without losing a rule of an existing user; the rules of
  users that no longer exist go, with their alerts, and the migration says how many;
- thresholds stored before validation (outside their metric's range) are clamped and the rule
  switched off, so that such a rule loads again and does not fire by surprise;
- existing locations have no creator.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from adapters.persistence.unit_of_work import DjangoUnitOfWork
from domain.alerts import AlertRule
from tests.integration.persistence.conftest import DATABASES
from tests.support.builders import NOW, OTHER_OWNER, OWNER

pytestmark = pytest.mark.django_db(databases=DATABASES, transaction=True)  # no atomic around it

BEFORE = [("weather", "0003_location_elevation_range")]
AFTER = [("weather", "0004_accounts_own_rules_and_locations")]
GONE = "999999"  # the id of an account deleted before rules went with their user


def migrate(alias: str, targets: list[tuple[str, str]]) -> Apps:
    """Migrate the database to `targets`; its models as they stand there."""
    executor = MigrationExecutor(connections[alias])
    executor.migrate(targets)
    return MigrationExecutor(connections[alias]).loader.project_state(targets).apps


@pytest.fixture
def before(alias: str) -> Iterator[Apps]:
    """The database under test at 0003; back at the latest migrations after the test, however
    it went, for the tests that follow."""
    try:
        yield migrate(alias, BEFORE)
    finally:
        executor = MigrationExecutor(connections[alias])
        executor.migrate(executor.loader.graph.leaf_nodes())


class Old:
    """Rows as the code of 0003 wrote them."""

    def __init__(self, apps: Apps, alias: str) -> None:
        self.alias = alias
        self.location = (
            apps.get_model("weather", "Location")
            .objects.using(alias)
            .create(
                id=uuid.uuid4(),
                name="Samara",
                latitude=Decimal("53.2"),
                longitude=Decimal("50.15"),
                timezone="Europe/Samara",
                created_at=NOW,
                updated_at=NOW,
            )
        )
        self._rules = apps.get_model("weather", "AlertRule").objects.using(alias)
        self._alerts = apps.get_model("weather", "Alert").objects.using(alias)

    def rule(self, owner_id: str, **fields: Any) -> uuid.UUID:
        values = {"metric": "temperature", "operator": "gt", "threshold": 30.0, **fields}
        row = self._rules.create(
            id=uuid.uuid4(), owner_id=owner_id, location=self.location, created_at=NOW, **values
        )
        return uuid.UUID(str(row.id))

    def alert(self, rule_id: uuid.UUID, owner_id: str) -> uuid.UUID:
        row = self._alerts.create(
            id=uuid.uuid4(),
            rule_id=rule_id,
            owner_id=owner_id,
            location=self.location,
            metric="temperature",
            operator="gt",
            threshold=30.0,
            value=31.0,
            observed_at=NOW,
            raised_at=NOW,
        )
        return uuid.UUID(str(row.id))


def loaded(alias: str, rule_id: uuid.UUID) -> AlertRule | None:
    with DjangoUnitOfWork(alias) as uow:
        return uow.alerts.get_rule(rule_id)


def test_every_rule_of_an_existing_user_is_kept_with_its_owner_and_alerts(
    alias: str, before: Apps
) -> None:
    old = Old(before, alias)
    mine, theirs = old.rule(OWNER), old.rule(OTHER_OWNER, operator="lt", threshold=-5.0)
    raised = old.alert(mine, OWNER)

    migrate(alias, AFTER)

    kept, other = loaded(alias, mine), loaded(alias, theirs)
    assert kept is not None
    assert other is not None
    assert (kept.owner_id, kept.threshold, kept.active) == (OWNER, 30.0, True)
    assert (other.owner_id, other.threshold) == (OTHER_OWNER, -5.0)
    with DjangoUnitOfWork(alias) as uow:
        assert uow.alerts.get_alert(raised) is not None
        location = uow.locations.get(uuid.UUID(str(old.location.id)))
    assert location is not None
    assert location.created_by is None  # nobody recorded who registered it: staff's to change


def test_the_rules_of_users_that_no_longer_exist_go_with_their_alerts_and_are_counted(
    alias: str, before: Apps, caplog: pytest.LogCaptureFixture
) -> None:
    old = Old(before, alias)
    mine = old.rule(OWNER)
    of_a_deleted_user, of_nobody = old.rule(GONE), old.rule("alice")
    orphaned = old.alert(of_a_deleted_user, GONE)
    caplog.set_level(logging.WARNING, logger="adapters.persistence.migrations")

    migrate(alias, AFTER)

    assert loaded(alias, mine) is not None
    assert loaded(alias, of_a_deleted_user) is None
    assert loaded(alias, of_nobody) is None
    with DjangoUnitOfWork(alias) as uow:
        assert uow.alerts.get_alert(orphaned) is None
    assert (
        "Deleted 2 alert rules and 1 alerts of 2 accounts that no longer exist "
        "(they should have gone with their user)."
    ) in caplog.messages


def test_a_rule_whose_threshold_is_out_of_range_loads_clamped_and_switched_off(
    alias: str, before: Apps, caplog: pytest.LogCaptureFixture
) -> None:
    old = Old(before, alias)
    gusts = old.rule(OWNER, metric="wind_gusts", threshold=1e300, is_crossed=True)
    frost = old.rule(OWNER, metric="temperature", operator="lt", threshold=-1e300)
    rain = old.rule(OWNER, metric="precipitation", threshold=float("inf"))
    humid = old.rule(OWNER, metric="relative_humidity", threshold=-3.0, last_observed_at=NOW)
    fine = old.rule(OWNER, metric="wind_speed", threshold=500.0)
    caplog.set_level(logging.WARNING, logger="adapters.persistence.migrations")

    migrate(alias, AFTER)

    rules = {rule_id: loaded(alias, rule_id) for rule_id in (gusts, frost, rain, humid, fine)}
    assert {
        rule_id: (rule.threshold, rule.active, rule.is_crossed, rule.last_observed_at)
        for rule_id, rule in rules.items()
        if rule is not None
    } == {
        gusts: (500.0, False, False, None),
        frost: (-100.0, False, False, None),
        rain: (500.0, False, False, None),
        humid: (0.0, False, False, None),
        fine: (500.0, True, False, None),
    }
    assert any(
        message.startswith("Clamped the threshold of 4 alert rules") for message in caplog.messages
    )


def test_migrating_back_writes_the_owners_back_as_text(alias: str, before: Apps) -> None:
    old = Old(before, alias)
    mine, theirs = old.rule(OWNER), old.rule(OTHER_OWNER)
    migrate(alias, AFTER)

    apps = migrate(alias, BEFORE)

    historical: Any = apps.get_model("weather", "AlertRule")  # its `owner_id` is text again
    owners = dict(historical.objects.using(alias).values_list("id", "owner_id"))
    assert {uuid.UUID(str(key)): value for key, value in owners.items()} == {
        mine: OWNER,
        theirs: OTHER_OWNER,
    }
