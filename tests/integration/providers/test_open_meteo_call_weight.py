"""What Open-Meteo counts for one location of a request (its server's `calculateQueryWeight`),
which the rate budget spends: one call up to 10 variables over 14 days, more in proportion."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.providers.open_meteo import OpenMeteoProvider
from adapters.providers.open_meteo.variables import calls_per_location
from tests.support.fakes.clock import FakeClock


@pytest.mark.parametrize(
    ("variables", "days", "calls"),
    [
        (1, 1, 1.0),
        (10, 14, 1.0),
        (15, 14, 1.5),  # Open-Meteo's own example: 15 variables are 1.5 calls
        (10, 28, 2.0),
        (5, 28, 1.0),  # under 10 variables, a long range alone costs nothing more
        (28, 16, 3.2),
    ],
)
def test_a_location_costs_variables_over_10_times_days_over_14(
    variables: int, days: int, calls: float
) -> None:
    assert calls_per_location(variables, days) == pytest.approx(calls)


def test_the_forecast_request_costs_what_its_variables_and_days_make() -> None:
    """28 variables (12 current, 8 hourly, 6 daily and sunrise, sunset) over 16 days."""
    clock = FakeClock(datetime(2026, 11, 24, tzinfo=UTC))
    assert OpenMeteoProvider(timeout_seconds=1, clock=clock).calls_per_location == (
        pytest.approx(3.2)
    )
    week = OpenMeteoProvider(timeout_seconds=1, clock=clock, forecast_days=7)
    assert week.calls_per_location == pytest.approx(2.8)
