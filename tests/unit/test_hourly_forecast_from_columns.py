"""`HourlyForecast.from_columns`, the columnar way a provider's hourly forecast enters the
domain: it must accept and refuse exactly what building each `HourlyPoint` would, with the same
error, whatever the columns hold."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta, timezone

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.forecasts import HourlyForecast, HourlyPoint
from tests.support.builders import NOW

LOCATION = uuid.uuid4()
HOUR = timedelta(hours=1)
METRICS = [field.name for field in attrs.fields(HourlyPoint) if field.name != "time"]


def hours(count: int) -> list[datetime]:
    return [NOW + hour * HOUR for hour in range(count)]


def by_columns(times: list[datetime], **columns: list[object]) -> HourlyForecast:
    return HourlyForecast.from_columns(
        location_id=LOCATION,
        provider="open-meteo",
        fetched_at=NOW,
        times=times,
        columns=columns,  # type: ignore[arg-type]
    )


def by_points(times: list[datetime], **columns: list[object]) -> HourlyForecast:
    points = [
        HourlyPoint(time=moment, **{name: values[index] for name, values in columns.items()})  # type: ignore[arg-type]
        for index, moment in enumerate(times)
    ]
    return HourlyForecast(
        location_id=LOCATION, provider="open-meteo", fetched_at=NOW, points=points
    )


def outcome(build: object, times: list[datetime], columns: dict[str, list[object]]) -> object:
    """The forecast built, or the error raised (its field and message), to compare two ways."""
    try:
        return build(times, **columns)  # type: ignore[operator]
    except InvalidInput as error:
        return ("refused", error.message)


def test_columns_give_the_points_the_constructor_gives() -> None:
    times = hours(3)
    columns: dict[str, list[object]] = {
        "temperature": [1.5, None, -3.0],
        "weather_code": [3, 61, None],
        "wind_speed": [10.8, 0.0, 3.6],
        "relative_humidity": [50, 100.0, 0.0],  # an int becomes a float, as the converter does
    }
    forecast = by_columns(times, **columns)
    assert forecast == by_points(times, **columns)
    assert forecast.points[0].relative_humidity == 50.0
    assert type(forecast.points[0].relative_humidity) is float
    assert forecast.points[1].apparent_temperature is None  # no column: missing every hour


@pytest.mark.parametrize(
    ("name", "bad", "message"),
    [
        ("temperature", math.nan, "must be a finite number."),
        ("temperature", math.inf, "must be a finite number."),
        ("temperature", -300.0, "must be at least -273.15."),
        ("relative_humidity", 100.5, "must be at most 100.0."),
        ("wind_direction", -1.0, "must be at least 0.0."),
        ("precipitation", True, "must be a number."),
        ("precipitation", "1.0", "must be a number."),
        ("weather_code", 100, "must be a WMO weather code (0 to 99)."),
        ("weather_code", 3.0, "must be a WMO weather code (0 to 99)."),
        ("weather_code", False, "must be a WMO weather code (0 to 99)."),
    ],
)
def test_a_bad_value_anywhere_in_a_column_is_refused_as_the_point_refuses_it(
    name: str, bad: object, message: str
) -> None:
    times = hours(5)
    column: list[object] = [None, 2.0, 3.0, 4.0, 5.0] if name != "weather_code" else [1, 2, 3, 4, 5]
    column[3] = bad
    with pytest.raises(InvalidInput) as refused:
        by_columns(times, **{name: column})
    assert outcome(by_columns, times, {name: column}) == outcome(by_points, times, {name: column})
    assert message in str(refused.value)


def test_a_column_of_another_length_than_the_times_is_refused() -> None:
    with pytest.raises(InvalidInput):
        by_columns(hours(3), temperature=[1.0, 2.0])


def test_an_unknown_metric_is_refused() -> None:
    with pytest.raises(InvalidInput):
        by_columns(hours(1), snow_depth=[1.0])


def test_times_out_of_order_are_sorted_and_a_repeated_hour_refused_as_by_the_constructor() -> None:
    times = [NOW + HOUR, NOW, NOW + 2 * HOUR]
    forecast = by_columns(times, temperature=[2.0, 1.0, 3.0])
    assert [point.temperature for point in forecast.points] == [1.0, 2.0, 3.0]
    with pytest.raises(InvalidInput, match="same hour"):
        by_columns([NOW, NOW], temperature=[1.0, 2.0])


def test_times_in_another_zone_are_moved_to_utc_and_naive_ones_refused() -> None:
    plus_four = timezone(timedelta(hours=4))
    local = [moment.astimezone(plus_four) for moment in hours(2)]
    forecast = by_columns(local, temperature=[1.0, 2.0])
    assert [point.time for point in forecast.points] == hours(2)
    assert all(point.time.tzinfo is UTC for point in forecast.points)
    with pytest.raises(InvalidInput, match="timezone-aware"):
        by_columns([moment.replace(tzinfo=None) for moment in hours(2)], temperature=[1.0, 2.0])


values = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-400, max_value=400),
    st.booleans(),
)


@given(
    st.integers(min_value=0, max_value=6).flatmap(
        lambda length: st.dictionaries(
            st.sampled_from(METRICS), st.lists(values, min_size=length, max_size=length)
        ).map(lambda columns: (length, columns))
    )
)
def test_columns_and_points_agree_on_any_values(case: tuple[int, dict[str, list[object]]]) -> None:
    length, columns = case
    times = hours(length)
    assert outcome(by_columns, times, columns) == outcome(by_points, times, columns)
