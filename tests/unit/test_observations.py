"""Observations: invariants of a reading and deduplication."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest

from domain.errors import InvalidInput
from domain.observations import ObservationKey, deduplicate
from tests.support.builders import NOW, an_observation


def test_every_metric_of_a_reading_is_optional() -> None:
    reading = an_observation()
    assert reading.temperature is None
    assert reading.condition is None


def test_integers_from_a_provider_become_floats() -> None:
    reading = an_observation(relative_humidity=78, weather_code=3)
    assert reading.relative_humidity == 78.0
    assert isinstance(reading.relative_humidity, float)
    assert reading.condition == "Overcast"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("temperature", -300.0),
        ("relative_humidity", 101.0),
        ("cloud_cover", -1.0),
        ("wind_speed", -0.1),
        ("wind_direction", 361.0),
        ("precipitation", -1.0),
        ("pressure", -5.0),
        ("temperature", float("nan")),
        ("temperature", float("inf")),
        ("temperature", "warm"),
        ("temperature", True),
        ("weather_code", 100),
        ("weather_code", 3.0),
        ("is_day", 1),
    ],
)
def test_a_reading_refuses_impossible_values(field: str, value: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        an_observation(**dict[str, Any]({field: value}))
    assert raised.value.field == field


def test_a_reading_needs_an_aware_instant_and_a_provider() -> None:
    with pytest.raises(InvalidInput):
        an_observation(observed_at=datetime(2026, 1, 1))
    with pytest.raises(InvalidInput):
        an_observation(provider=" ")


def test_a_reading_is_identified_by_location_instant_and_provider() -> None:
    location_id = uuid.uuid4()
    reading = an_observation(location_id, temperature=1.0)
    assert reading.key == ObservationKey(location_id, NOW, "open-meteo")


def test_deduplicate_keeps_the_latest_fetch_of_each_reading_in_time_order() -> None:
    location_id = uuid.uuid4()
    later = NOW + timedelta(hours=1)
    stale = an_observation(location_id, fetched_at=NOW, temperature=1.0)
    fresh = an_observation(location_id, fetched_at=NOW + timedelta(minutes=5), temperature=2.0)
    other_provider = an_observation(location_id, provider="met-norway", temperature=3.0)
    next_hour = an_observation(location_id, observed_at=later, temperature=4.0)
    kept = deduplicate([next_hour, fresh, stale, other_provider])
    assert kept == [other_provider, fresh, next_hour]


def test_a_refetch_with_the_same_values_is_not_news_but_a_revision_is() -> None:
    location_id = uuid.uuid4()
    stored = an_observation(location_id, fetched_at=NOW, temperature=1.0)
    refetched = an_observation(location_id, fetched_at=NOW + timedelta(minutes=5), temperature=1.0)
    revised = an_observation(location_id, fetched_at=NOW + timedelta(minutes=5), temperature=1.5)
    assert refetched.is_news_against(None)
    assert not refetched.is_news_against(stored)
    assert revised.is_news_against(stored)
