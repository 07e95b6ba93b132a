"""Unit conversions and the contract's unit labels."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput
from domain.units import (
    Precipitation,
    Pressure,
    Quantity,
    Speed,
    Temperature,
    UnitSystem,
    express,
)

magnitudes = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)


@given(magnitudes)
def test_temperature_round_trips_through_fahrenheit(celsius: float) -> None:
    fahrenheit = Temperature(celsius).to_fahrenheit()
    assert close(Temperature.from_fahrenheit(fahrenheit).celsius, celsius)


@given(magnitudes)
def test_speed_round_trips_through_miles_and_metres_per_second(kmh: float) -> None:
    speed = Speed(kmh)
    assert close(Speed.from_miles_per_hour(speed.to_miles_per_hour()).kilometres_per_hour, kmh)
    assert close(
        Speed.from_metres_per_second(speed.to_metres_per_second()).kilometres_per_hour, kmh
    )


@given(magnitudes)
def test_precipitation_round_trips_through_inches(mm: float) -> None:
    assert close(Precipitation.from_inches(Precipitation(mm).to_inches()).millimetres, mm)


@given(magnitudes)
def test_pressure_round_trips_through_inches_of_mercury(hpa: float) -> None:
    inhg = Pressure(hpa).to_inches_of_mercury()
    assert close(Pressure.from_inches_of_mercury(inhg).hectopascals, hpa)


@pytest.mark.parametrize(
    ("quantity", "metric", "imperial"),
    [
        (Quantity.TEMPERATURE, 0.0, 32.0),
        (Quantity.TEMPERATURE, 100.0, 212.0),
        (Quantity.TEMPERATURE, -40.0, -40.0),
        (Quantity.SPEED, 1.609344, 1.0),
        (Quantity.PRECIPITATION, 25.4, 1.0),
        (Quantity.PRESSURE, 1013.25, 29.921),
    ],
)
def test_express_converts_known_values_to_imperial(
    quantity: Quantity, metric: float, imperial: float
) -> None:
    assert express(quantity, metric, UnitSystem.IMPERIAL) == imperial


def test_express_leaves_metric_readings_as_stored_but_hides_float_noise() -> None:
    assert express(Quantity.TEMPERATURE, 18.5, UnitSystem.METRIC) == 18.5
    assert express(Quantity.TEMPERATURE, 0.1 + 0.2, UnitSystem.METRIC) == 0.3


def test_express_keeps_missing_readings_missing() -> None:
    assert express(Quantity.SPEED, None, UnitSystem.IMPERIAL) is None


def test_express_rounds_fahrenheit_to_what_a_client_expects() -> None:
    assert express(Quantity.TEMPERATURE, 18.5, UnitSystem.IMPERIAL) == 65.3


def test_metres_per_second_from_a_provider_become_kilometres_per_hour() -> None:
    assert Speed.from_metres_per_second(3.0).kilometres_per_hour == pytest.approx(10.8)


def test_unit_labels_are_the_contracts() -> None:
    assert UnitSystem.METRIC.labels == {
        "temperature": "°C",
        "wind_speed": "km/h",
        "precipitation": "mm",
        "pressure": "hPa",
    }
    assert UnitSystem.IMPERIAL.labels == {
        "temperature": "°F",
        "wind_speed": "mph",
        "precipitation": "inch",
        "pressure": "inHg",
    }


def test_unit_labels_cannot_be_changed_through_a_returned_mapping() -> None:
    UnitSystem.METRIC.labels["temperature"] = "K"
    assert UnitSystem.METRIC.labels["temperature"] == "°C"


def test_parsing_an_unknown_unit_system_names_the_units_parameter() -> None:
    assert UnitSystem.parse("imperial") is UnitSystem.IMPERIAL
    with pytest.raises(InvalidInput) as raised:
        UnitSystem.parse("kelvin")
    assert raised.value.field == "units"
