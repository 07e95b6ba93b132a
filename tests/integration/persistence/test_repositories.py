"""What the Django repositories do beyond the shared contract: every field survives the round
trip, constraints and lost connections come out as domain errors, bulk writes are idempotent and
every method costs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from adapters.persistence import models
from adapters.persistence.repositories import DjangoObservationRepository
from adapters.persistence.session import Session
from adapters.persistence.unit_of_work import DjangoUnitOfWork
from application.pagination import PageRequest
from domain.alerts import Alert, Metric, Operator
from domain.errors import Conflict, InvalidInput
from domain.forecasts import DailyForecast, DailyPoint, HourlyForecast, HourlyPoint
from domain.locations import Coordinates
from domain.observations import Observation
from tests.integration.persistence.conftest import DATABASES
from tests.support.accounts import an_account
from tests.support.builders import NOW, OTHER_OWNER, OWNER, a_location, a_rule, an_observation

pytestmark = pytest.mark.django_db(databases=DATABASES)

QueryCounter = Callable[..., AbstractContextManager[object]]


def full_observation(location_id: uuid.UUID, hour: int = 0) -> Observation:
    return an_observation(
        location_id,
        observed_at=NOW + timedelta(hours=hour),
        fetched_at=NOW + timedelta(hours=hour, minutes=5),
        temperature=-3.5,
        apparent_temperature=-7.25,
        relative_humidity=81.0,
        dew_point=-6.0,
        pressure=1013.2,
        wind_speed=14.4,
        wind_direction=270.0,
        wind_gusts=30.6,
        precipitation=0.2,
        cloud_cover=100.0,
        weather_code=71,
        is_day=False,
    )


def test_every_field_of_every_entity_survives_the_round_trip(alias: str) -> None:
    location = a_location(country_code=None, admin1=None, elevation=None, created_by=OWNER)
    observation = full_observation(location.id)
    hourly = HourlyForecast(
        location_id=location.id,
        provider="open-meteo",
        fetched_at=NOW,
        points=[
            HourlyPoint(
                time=NOW + timedelta(hours=h),
                temperature=1.5,
                apparent_temperature=-1.0,
                relative_humidity=90.0,
                precipitation_probability=40.0,
                precipitation=0.4,
                wind_speed=10.0,
                wind_direction=180.0,
                weather_code=61,
            )
            for h in range(3)
        ],
    )
    daily = DailyForecast(
        location_id=location.id,
        provider="met-norway",
        fetched_at=NOW,
        points=[
            DailyPoint(
                date=date(2026, 11, 24) + timedelta(days=d),
                temperature_min=-2.0,
                temperature_max=4.5,
                precipitation_sum=1.2,
                precipitation_probability_max=70.0,
                wind_speed_max=25.0,
                weather_code=3,
                sunrise=NOW.replace(hour=5) + timedelta(days=d),
                sunset=NOW.replace(hour=13) + timedelta(days=d),
            )
            for d in range(2)
        ],
    )
    rule = a_rule(
        location.id,
        webhook_url="https://hooks.example.org/weather",
        threshold=-3.0,
        metric=Metric.TEMPERATURE,
        operator=Operator.LT,
    )
    alert = Alert(
        rule_id=rule.id,
        owner_id=OWNER,
        location_id=location.id,
        metric=Metric.TEMPERATURE,
        operator=Operator.LT,
        threshold=-3.0,
        value=-3.5,
        observed_at=NOW,
        raised_at=NOW + timedelta(minutes=6),
    )

    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(location)
        uow.observations.add_many([observation])
        uow.forecasts.save_many(hourly=[hourly], daily=[daily])
        uow.alerts.add_rule(rule)
        uow.alerts.add_alerts([alert])
        uow.commit()
    with DjangoUnitOfWork(alias) as uow:
        assert uow.locations.get(location.id) == location
        assert uow.observations.get_many([observation.key]) == {observation.key: observation}
        assert uow.forecasts.hourly(location.id) == hourly
        assert uow.forecasts.daily(location.id) == daily
        assert uow.alerts.get_rule(rule.id) == rule
        assert uow.alerts.get_alert(alert.id) == alert


def test_bulk_upsert_is_idempotent_and_keeps_the_latest_values(alias: str) -> None:
    location = a_location()
    readings = [full_observation(location.id, hour) for hour in range(50)]
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(location)
        repository = DjangoObservationRepository(Session(alias))
        repository.add_many(readings)
        repository.add_many(readings)
        revised = an_observation(
            location.id, observed_at=NOW, fetched_at=NOW + timedelta(days=1), temperature=9.0
        )
        repository.add_many([revised])

        assert models.Observation.objects.using(alias).count() == 50
        assert repository.get_many([revised.key]) == {revised.key: revised}


def test_bulk_upsert_costs_a_fixed_number_of_statements(
    alias: str, django_assert_max_num_queries: QueryCounter
) -> None:
    """PostgreSQL: COPY into a staging table and one upsert, four statements at any size.
    SQLite's backend caps a statement at 999 bound parameters, so it takes 62 rows a statement,
    but still never one statement per row."""
    location = a_location()
    on_postgres = connections[alias].vendor == "postgresql"
    thousand, two_thousand = (4, 4) if on_postgres else (1000 // 62 + 1, 2000 // 62 + 1)
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(location)
        repository = DjangoObservationRepository(Session(alias))
        with django_assert_max_num_queries(thousand, using=alias):
            repository.add_many(full_observation(location.id, hour) for hour in range(1000))
        with django_assert_max_num_queries(two_thousand, using=alias):
            repository.add_many(full_observation(location.id, hour) for hour in range(2000))
        assert models.Observation.objects.using(alias).count() == 2000


def test_a_large_batch_upserts_like_a_small_one(alias: str) -> None:
    """The COPY path (large batches on PostgreSQL) keeps every value and replaces by key."""
    location = a_location()
    readings = [full_observation(location.id, hour) for hour in range(1200)]
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(location)
        uow.observations.add_many(readings)
        revised = [
            an_observation(location.id, observed_at=r.observed_at, temperature=float(i % 9))
            for i, r in enumerate(readings)
        ]
        uow.observations.add_many(revised + revised[:10])  # a repeated key: the last one wins
        stored = uow.observations.get_many([r.key for r in readings])
        window = uow.observations.history(location.id, NOW, NOW + timedelta(days=60), PageRequest())

    assert stored == {r.key: r for r in revised}
    assert window.count == len(revised)


def test_deleting_a_location_removes_everything_that_hangs_off_it(alias: str) -> None:
    location, other = a_location(), a_location(coordinates=Coordinates(1, 1))
    with DjangoUnitOfWork(alias) as uow:
        for place in (location, other):
            uow.locations.add(place)
            uow.observations.add_many([full_observation(place.id)])
            uow.forecasts.save_many(
                hourly=[
                    HourlyForecast(
                        location_id=place.id,
                        provider="p",
                        fetched_at=NOW,
                        points=[HourlyPoint(time=NOW)],
                    )
                ],
                daily=[],
            )
            rule = a_rule(place.id)
            uow.alerts.add_rule(rule)
        uow.locations.remove(location.id)
        uow.commit()

    db = alias
    assert not models.Observation.objects.using(db).filter(location_id=location.id).exists()
    assert not models.Forecast.objects.using(db).filter(location_id=location.id).exists()
    assert not models.AlertRule.objects.using(db).filter(location_id=location.id).exists()
    assert models.Observation.objects.using(db).filter(location_id=other.id).count() == 1
    assert models.AlertRule.objects.using(db).filter(location_id=other.id).count() == 1


# --- accounts: a rule's owner and a location's creator are users ------------------------------


def test_deleting_an_account_takes_its_rules_and_alerts_but_leaves_its_locations(
    alias: str,
) -> None:
    location = a_location(created_by=OWNER)
    mine = a_rule(location.id, operator=Operator.LT, threshold=0.0)
    theirs = a_rule(location.id, owner_id=OTHER_OWNER)
    alert = mine.evaluate(full_observation(location.id), raised_at=NOW)  # -3.5 °C < 0 °C
    assert alert is not None
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(location)
        uow.alerts.add_rule(mine)
        uow.alerts.add_rule(theirs)
        uow.alerts.add_alerts([alert])
        uow.commit()

    get_user_model()._default_manager.db_manager(alias).get(pk=int(OWNER)).delete()

    with DjangoUnitOfWork(alias) as uow:
        assert uow.alerts.get_rule(mine.id) is None
        assert uow.alerts.get_alert(alert.id) is None
        assert uow.alerts.get_rule(theirs.id) == theirs
        kept = uow.locations.get(location.id)
    assert kept is not None
    assert kept.created_by is None  # staff's to change from now on


def test_a_stale_copy_of_a_location_written_back_keeps_its_creator_as_stored(alias: str) -> None:
    """The creator is set at registration only: an update never writes it, so a copy read
    before its account was deleted cannot point the location at a user that is gone."""
    creator = an_account("creator", alias=alias)
    location = a_location(created_by=str(creator.pk))
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(location)
        uow.commit()
    creator.delete()

    location.name = "Renamed"
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.update(location)
        uow.commit()

    row = models.Location.objects.using(alias).get(pk=location.id)
    assert (row.name, row.created_by_id) == ("Renamed", None)


def test_an_owner_that_cannot_be_an_account_is_invalid_input(alias: str) -> None:
    location = a_location()
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(location)
        with pytest.raises(InvalidInput) as rule_refused:
            uow.alerts.add_rule(a_rule(location.id, owner_id="alice"))
        with pytest.raises(InvalidInput) as location_refused:
            uow.locations.add(a_location(coordinates=Coordinates(1, 1), created_by="alice"))
    assert (rule_refused.value.field, location_refused.value.field) == ("owner_id", "created_by")


@pytest.mark.django_db(databases=DATABASES, transaction=True)  # a real commit, not a savepoint
def test_a_rule_of_an_account_that_does_not_exist_is_a_conflict(alias: str) -> None:
    location = a_location()
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(location)
        uow.commit()

    def store_orphan() -> None:
        with DjangoUnitOfWork(alias) as uow:
            uow.alerts.add_rule(a_rule(location.id, owner_id="999999"))
            uow.commit()

    with pytest.raises(Conflict):
        store_orphan()
    assert not models.AlertRule.objects.using(alias).exists()


def test_a_value_the_database_refuses_is_invalid_input_not_an_integrity_error(alias: str) -> None:
    location = a_location()
    reading = full_observation(location.id)
    object.__setattr__(reading, "relative_humidity", 150.0)  # past the domain's own check
    with DjangoUnitOfWork(alias) as uow:
        uow.locations.add(location)
        with pytest.raises(InvalidInput, match="humidity"):
            uow.observations.add_many([reading])


@pytest.mark.django_db(databases=DATABASES, transaction=True)  # a real commit, not a savepoint
def test_a_reading_of_an_unknown_location_is_a_conflict_at_the_latest_on_commit(alias: str) -> None:
    def store_orphan() -> None:
        with DjangoUnitOfWork(alias) as uow:
            uow.observations.add_many([full_observation(uuid.uuid4())])
            uow.commit()  # SQLite checks foreign keys at commit, PostgreSQL at the insert

    with pytest.raises(Conflict):
        store_orphan()

    assert not models.Observation.objects.using(alias).exists()


def test_a_failure_in_the_middle_of_a_unit_of_work_leaves_nothing_behind(alias: str) -> None:
    location = a_location()

    def store_then_fail() -> None:
        with DjangoUnitOfWork(alias) as uow:
            uow.locations.add(location)
            uow.observations.add_many([full_observation(location.id, h) for h in range(10)])
            raise RuntimeError("the provider answered garbage half way")

    with pytest.raises(RuntimeError):
        store_then_fail()

    assert not models.Location.objects.using(alias).exists()
    assert not models.Observation.objects.using(alias).exists()


# --- a fixed number of queries, whatever the number of rows ----------------------------------


def _store(alias: str, rows: int) -> uuid.UUID:
    first = None
    with DjangoUnitOfWork(alias) as uow:
        for i in range(rows):
            location = a_location(name=f"Place {i:03}", coordinates=Coordinates(i / 10, i / 10))
            first = first or location
            uow.locations.add(location)
            rule = a_rule(first.id, created_at=NOW + timedelta(seconds=i))
            uow.alerts.add_rule(rule)
            alert = rule.evaluate(full_observation(first.id), raised_at=NOW)
            uow.alerts.add_alerts([alert] if alert is not None else [])
            uow.observations.add_many([full_observation(first.id, i)])
        uow.commit()
    assert first is not None
    return first.id


@pytest.mark.parametrize("rows", [1, 30])
def test_every_read_costs_a_fixed_number_of_queries(
    alias: str, rows: int, django_assert_max_num_queries: QueryCounter
) -> None:
    location_id = _store(alias, rows)
    page = PageRequest(1, 10)
    later = NOW + timedelta(days=2)
    uow = DjangoUnitOfWork(alias)
    with uow:
        uow.alerts.get_rule(uuid.uuid4())  # opens the transaction: not a cost of the reads below
        checks: list[tuple[int, Callable[[], object]]] = [
            (2, lambda: uow.locations.search(text="place", country_code="RU", page=page)),
            (1, lambda: uow.locations.all()),
            (1, lambda: uow.locations.get(location_id)),
            (1, lambda: uow.observations.latest(location_id)),
            (2, lambda: uow.observations.history(location_id, NOW, later, page)),
            (1, lambda: uow.observations.get_many([full_observation(location_id).key])),
            (2, lambda: uow.observations.latest_many([location_id])),
            (1, lambda: uow.observations.daily_summaries(location_id, "UTC", NOW, later)),
            (2, lambda: uow.forecasts.hourly(location_id)),
            (2, lambda: uow.alerts.rules_of_owner(OWNER, page)),
            (1, lambda: uow.alerts.active_rules_for_locations([location_id])),
            (
                2,
                lambda: uow.alerts.alerts_of_owner(
                    OWNER, rule_id=None, location_id=None, page=page
                ),
            ),
        ]
        for limit, read in checks:
            with django_assert_max_num_queries(limit, using=alias):
                read()
