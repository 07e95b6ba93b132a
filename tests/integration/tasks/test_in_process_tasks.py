"""The tasks run in this process (``apply``: Celery's eager path, retries included) against the
test database, with fakes or a local server behind the container's ports."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from dependency_injector import providers
from django_celery_beat.models import PeriodicTask
from pytest_httpserver import HTTPServer

from adapters.notifications.webhooks import WebhookNotifier
from adapters.tasks import locks, tasks
from application.pagination import PageRequest
from application.use_cases.plan_refresh import PlanRefreshQuery
from application.use_cases.register_location import RegisterLocationCommand
from domain.alerts import Alert, AlertRule
from server_config.container import container
from tests.support.accounts import an_account
from tests.support.fakes.clock import FakeClock
from tests.support.fakes.providers import FakeWeatherProvider
from tests.support.migration_data import restore_migration_data

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)


@pytest.fixture
def weather() -> Iterator[FakeWeatherProvider]:
    provider = FakeWeatherProvider(FakeClock(NOW), max_batch_size=2)
    container.weather_providers.override(providers.Object([provider]))
    yield provider
    container.weather_providers.reset_override()


@pytest.fixture
def notifier() -> Iterator[None]:
    container.notifier.override(
        providers.Object(WebhookNotifier(allow_private=True, timeout_seconds=2))
    )
    yield
    container.notifier.reset_override()


def add_location(index: int = 0) -> uuid.UUID:
    command = RegisterLocationCommand(name=f"Place {index}", latitude=50.0 + index, longitude=8.0)
    return container.register_location().execute(command).id


def raise_alert(webhook_url: str) -> uuid.UUID:
    location_id = add_location()
    owner_id = str(an_account("owner").pk)
    rule = AlertRule(
        owner_id=owner_id,
        location_id=location_id,
        metric="temperature",
        operator="gt",
        threshold=30.0,
        webhook_url=webhook_url,
        created_at=NOW,
    )
    alert = Alert(
        rule_id=rule.id,
        owner_id=owner_id,
        location_id=location_id,
        metric=rule.metric,
        operator=rule.operator,
        threshold=30.0,
        value=31.5,
        observed_at=NOW,
        raised_at=NOW,
    )
    with container.unit_of_work() as uow:
        uow.alerts.add_rule(rule)
        uow.alerts.add_alerts([alert])
        uow.commit()
    return alert.id


def is_delivered(alert_id: uuid.UUID) -> bool:
    with container.unit_of_work() as uow:
        alert = uow.alerts.get_alert(alert_id)
    assert alert is not None
    return alert.delivered


def test_alert_delivery_is_retried_after_a_500_and_marks_the_alert_delivered(
    httpserver: HTTPServer, notifier: None
) -> None:
    httpserver.expect_ordered_request("/hook").respond_with_data("busy", status=500)
    httpserver.expect_ordered_request("/hook").respond_with_data("ok")
    alert_id = raise_alert(httpserver.url_for("/hook"))

    outcome = tasks.deliver_alert.apply(args=(str(alert_id),))

    assert outcome.successful(), outcome.traceback
    assert outcome.result == {"alert_id": str(alert_id), "delivered": True}
    assert len(httpserver.log) == 2
    assert is_delivered(alert_id)


def test_alert_delivery_to_a_loopback_target_fails_when_private_targets_are_refused(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")
    alert_id = raise_alert(httpserver.url_for("/hook"))
    container.notifier.override(providers.Object(WebhookNotifier(allow_private=False)))
    try:
        outcome = tasks.deliver_alert.apply(args=(str(alert_id),))
    finally:
        container.notifier.reset_override()

    assert outcome.failed()
    assert "loopback or private" in str(outcome.result)
    assert httpserver.log == []
    assert not is_delivered(alert_id)


def test_refresh_all_is_cut_into_provider_sized_batches(weather: FakeWeatherProvider) -> None:
    for index in range(5):
        add_location(index)

    outcome = tasks.refresh_all.apply()

    assert outcome.successful(), outcome.traceback
    result = outcome.result
    assert isinstance(result, dict)
    assert result["locations_refreshed"] == 5
    assert result["batches"] == 3
    assert sorted(len(call) for call in weather.calls) == [1, 2, 2]


def test_refresh_all_skips_itself_while_another_run_holds_the_lock(
    weather: FakeWeatherProvider,
) -> None:
    add_location()
    assert locks.acquire(tasks.REFRESH_ALL_LOCK, "running-run", timedelta(minutes=5)) is None

    outcome = tasks.refresh_all.apply()

    assert outcome.result == {"skipped": True, "running_task_id": "running-run"}
    assert weather.calls == []


def test_an_expired_lock_does_not_block_the_next_run(weather: FakeWeatherProvider) -> None:
    add_location()
    assert locks.acquire(tasks.REFRESH_ALL_LOCK, "killed-run", timedelta(seconds=-1)) is None

    outcome = tasks.refresh_all.apply()

    result = outcome.result
    assert isinstance(result, dict)
    assert result["locations_refreshed"] == 1
    # The run released its lock when it gathered its batches.
    assert locks.acquire(tasks.REFRESH_ALL_LOCK, "next-run", timedelta(minutes=5)) is None


def test_a_refresh_of_an_unknown_location_fails_at_once_with_a_readable_error(
    weather: FakeWeatherProvider,
) -> None:
    missing = uuid.uuid4()

    outcome = tasks.refresh_location.apply(args=(str(missing),))

    assert outcome.failed()
    assert str(outcome.result) == f"NotFound: Location {missing} was not found."
    assert weather.calls == []


def test_the_default_schedule_refreshes_every_location_at_the_configured_interval() -> None:
    restore_migration_data()  # what an earlier transactional test may have flushed
    schedule = PeriodicTask.objects.get(task="weather.refresh_all")

    assert schedule.enabled
    assert (schedule.interval.every, schedule.interval.period) == (15, "minutes")
    assert schedule.expire_seconds == 15 * 60


def test_a_batch_its_providers_cannot_serve_is_reported_and_the_others_stored(
    weather: FakeWeatherProvider,
) -> None:
    ids = [add_location(index) for index in range(3)]  # batches of 2: [0, 1], [2]
    weather.fail(for_locations=[ids[2]])

    outcome = tasks.refresh_all.apply()

    assert outcome.successful(), outcome.traceback
    assert outcome.result == {
        "locations_refreshed": 2,
        "observations_stored": 2,
        "batches": 2,
        "providers": ["fake-weather"],
        "failed_location_ids": [str(ids[2])],
    }


def test_a_refresh_all_whose_every_batch_fails_fails_with_the_providers_reasons(
    weather: FakeWeatherProvider,
) -> None:
    add_location()
    weather.fail("timed out")

    outcome = tasks.refresh_all.apply()

    assert outcome.failed()
    assert str(outcome.result).startswith("AllProvidersUnavailable: fake-weather is unavailable")
    assert "timed out" in str(outcome.result)
    assert locks.acquire(tasks.REFRESH_ALL_LOCK, "next-run", timedelta(minutes=5)) is None


def test_the_alert_rules_of_each_batch_are_evaluated_by_the_fan_out(
    weather: FakeWeatherProvider,
) -> None:
    location_id = add_location()
    rule = AlertRule(
        owner_id=str(an_account("watcher").pk),
        location_id=location_id,
        metric="temperature",
        operator="gt",
        threshold=10.0,  # the fake reads 18.5 °C
        created_at=NOW,
    )
    with container.unit_of_work() as uow:
        uow.alerts.add_rule(rule)
        uow.commit()

    assert tasks.refresh_all.apply().successful()

    with container.unit_of_work() as uow:
        stored = uow.alerts.get_rule(rule.id)
        alerts = uow.alerts.alerts_of_owner(
            rule.owner_id, rule_id=rule.id, location_id=None, page=PageRequest()
        )
    assert stored is not None
    assert stored.is_crossed
    assert [alert.value for alert in alerts.items] == [18.5]


def test_a_batch_task_takes_the_planned_batch_and_answers_its_outcome(
    weather: FakeWeatherProvider,
) -> None:
    planned = container.plan_refresh().execute(PlanRefreshQuery())
    assert planned.batches == ()
    location_id = add_location()
    [batch] = container.plan_refresh().execute(PlanRefreshQuery()).batches

    outcome = tasks.refresh_batch.apply(args=(batch.to_json(),))

    assert outcome.result == {
        "provider": "fake-weather",
        "location_ids": [str(location_id)],
        "observations_stored": 1,
        "failed_location_ids": [],
    }
