"""The JSON of results written by a plan (`FlatResultSerializer`), as the API's renderer writes
it, equals DRF's field-by-field output of the same declared fields, for present and missing
values of every field type."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import orjson
import pytest
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework import serializers

from adapters.rest.serializers.locations import LocationSerializer
from adapters.rest.serializers.output import FlatResultSerializer
from adapters.rest.serializers.weather import (
    DailyPointSerializer,
    HourlyPointSerializer,
    ReadingSerializer,
)
from application.results.locations import LocationResult
from application.results.weather import DailyPointResult, HourlyPointResult, ObservationResult
from domain.forecasts import DailyPoint, HourlyPoint
from domain.units import UnitSystem
from tests.support.builders import NOW, a_location, an_observation

EAST = timezone(timedelta(hours=4))


def _drf(serializer_class: type[FlatResultSerializer], result: object) -> dict[str, Any]:
    """What DRF itself writes for the declared fields."""
    return dict(serializers.Serializer.to_representation(serializer_class(), result))


RESULTS: list[tuple[type[FlatResultSerializer], object]] = [
    (LocationSerializer, LocationResult.from_domain(a_location())),
    (
        LocationSerializer,
        LocationResult.from_domain(a_location(country_code=None, admin1=None, elevation=None)),
    ),
    (
        ReadingSerializer,
        ObservationResult.from_domain(
            an_observation(
                temperature=1.5, relative_humidity=80, pressure=1013.2, weather_code=3, is_day=True
            ),
            UnitSystem.METRIC,
        ),
    ),
    (
        ReadingSerializer,
        ObservationResult.from_domain(
            an_observation(temperature=None, weather_code=None, is_day=False),
            UnitSystem.IMPERIAL,
        ),
    ),
    (
        HourlyPointSerializer,
        HourlyPointResult.from_domain(
            HourlyPoint(time=NOW.astimezone(EAST), temperature=3, weather_code=61),
            UnitSystem.METRIC,
        ),
    ),
    (
        HourlyPointSerializer,
        HourlyPointResult.from_domain(HourlyPoint(time=NOW), UnitSystem.METRIC),
    ),
    (
        HourlyPointSerializer,
        HourlyPointResult.from_domain(
            HourlyPoint(time=NOW.replace(microsecond=120)), UnitSystem.METRIC
        ),
    ),
    (
        DailyPointSerializer,
        DailyPointResult.from_domain(
            DailyPoint(
                date=date(2026, 3, 29),
                temperature_min=-2.5,
                temperature_max=7,
                sunrise=datetime(2026, 3, 29, 5, 1, 2, 345678, tzinfo=EAST),
            ),
            UnitSystem.IMPERIAL,
        ),
    ),
]


@pytest.mark.parametrize(("serializer_class", "result"), RESULTS)
def test_the_plan_writes_what_drf_writes(
    serializer_class: type[FlatResultSerializer], result: object
) -> None:
    written = serializer_class(result).data
    sent = orjson.loads(ORJSONRenderer().render(written))

    assert sent == _drf(serializer_class, result)
    assert list(sent) == list(serializer_class().fields)  # same keys, same order


def test_a_result_serializer_with_a_nested_field_is_refused() -> None:
    class Nested(FlatResultSerializer):
        inner = LocationSerializer()

    with pytest.raises(TypeError, match=r"Nested\.inner"):
        Nested.plan()
