"""`GetLocationPage`: everything a location's page shows, from one unit of work, on fakes."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from application.use_cases.get_location_page import (
    FORECAST_DAYS,
    FORECAST_HOURS,
    GetLocationPage,
    GetLocationPageQuery,
)
from domain.errors import NotFound
from domain.locations import Coordinates, Location
from domain.units import UnitSystem
from tests.support.builders import NOW, OTHER_OWNER, OWNER, a_location, a_rule, an_observation
from tests.support.core import Core, a_core
from tests.support.fakes.providers import FakeWeatherProvider


def refreshed(core: Core, location: Location, **metrics: float | int | None) -> None:
    """A refresh's worth of data, 16 days and 400 hours of forecasts, stored committed."""
    provider = FakeWeatherProvider(core.clock, forecast_hours=400, forecast_days=16)
    provider.set_metrics(location.id, **metrics)
    (report,) = provider.fetch([location])
    assert report.current is not None
    assert report.hourly is not None
    assert report.daily is not None
    with core.uow as uow:
        uow.observations.add_many([report.current])
        uow.forecasts.save_many(hourly=[report.hourly], daily=[report.daily])
        uow.commit()


def test_an_unknown_location_is_not_found() -> None:
    core = a_core()

    with pytest.raises(NotFound):
        GetLocationPage(core.uow, core.clock).execute(
            GetLocationPageQuery(location_id=uuid.uuid4())
        )


def test_a_location_never_refreshed_has_every_part_empty() -> None:
    core = a_core()
    location = a_location()
    core.add(location)

    page = GetLocationPage(core.uow, core.clock).execute(
        GetLocationPageQuery(location_id=location.id)
    )

    assert page.location.id == location.id
    assert (page.current, page.hourly, page.daily, page.history, page.rules) == (
        None,
        (),
        (),
        (),
        (),
    )
    assert page.current_is_stale is False


def test_forecasts_are_cut_to_the_pages_48_hours_and_7_days_in_the_chosen_units() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    refreshed(core, location, temperature=20.0)

    page = GetLocationPage(core.uow, core.clock).execute(
        GetLocationPageQuery(location_id=location.id, units=UnitSystem.IMPERIAL)
    )

    assert len(page.hourly) == FORECAST_HOURS
    assert page.hourly[0].time == NOW
    assert len(page.daily) == FORECAST_DAYS
    assert page.current is not None
    assert page.current.temperature == 68.0
    assert page.units == UnitSystem.IMPERIAL.labels


def test_history_is_the_last_seven_local_days_today_included() -> None:
    core = a_core()
    location = a_location(timezone="Europe/Samara")  # UTC+4: NOW (14:00 UTC) is 18:00 there
    core.add(location)
    core.add_observations(
        *(
            an_observation(location.id, observed_at=NOW - timedelta(hours=6 * step))
            for step in range(40)  # ten days back
        )
    )

    page = GetLocationPage(core.uow, core.clock).execute(
        GetLocationPageQuery(location_id=location.id)
    )

    assert [day.date.isoformat() for day in page.history] == [
        f"2026-11-{day}" for day in range(18, 25)
    ]


def test_the_viewers_rules_for_this_place_only_and_none_for_anonymous() -> None:
    core = a_core()
    location, elsewhere = (
        a_location(),
        a_location(name="Oslo", coordinates=Coordinates(59.91, 10.75)),
    )
    core.add(location, elsewhere)
    mine = [
        core.add_rule(a_rule(location.id, created_at=NOW + timedelta(minutes=n))) for n in range(3)
    ]
    core.add_rule(a_rule(elsewhere.id))
    core.add_rule(a_rule(location.id, owner_id=OTHER_OWNER))
    use_case = GetLocationPage(core.uow, core.clock)

    viewer = use_case.execute(GetLocationPageQuery(location_id=location.id, viewer_id=OWNER))
    anonymous = use_case.execute(GetLocationPageQuery(location_id=location.id))

    assert [rule.id for rule in viewer.rules] == [rule.id for rule in mine]
    assert anonymous.rules == ()


def test_a_reading_older_than_two_hours_is_stale() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    core.add_observations(
        an_observation(location.id, observed_at=NOW - timedelta(hours=2, minutes=1))
    )
    use_case = GetLocationPage(core.uow, core.clock)

    assert use_case.execute(GetLocationPageQuery(location_id=location.id)).current_is_stale

    core.add_observations(an_observation(location.id, observed_at=NOW - timedelta(hours=2)))
    assert not use_case.execute(GetLocationPageQuery(location_id=location.id)).current_is_stale
