"""The WMO weather code table."""

from __future__ import annotations

import pytest

from domain.weather_codes import CONDITIONS, condition_for


@pytest.mark.parametrize(
    ("code", "condition"),
    [(0, "Clear sky"), (3, "Overcast"), (45, "Fog"), (80, "Slight rain showers")],
)
def test_known_codes_read_as_english_conditions(code: int, condition: str) -> None:
    assert condition_for(code) == condition


def test_an_unlisted_code_still_has_a_condition() -> None:
    assert condition_for(42) == "Unknown"


def test_no_code_means_no_condition() -> None:
    assert condition_for(None) is None


def test_the_table_covers_every_code_open_meteo_documents() -> None:
    documented = {0, 1, 2, 3, 45, 48, 51, 53, 55, 56, 57, 61, 63, 65, 66, 67, 71, 73, 75, 77}
    documented |= {80, 81, 82, 85, 86, 95, 96, 99}
    assert set(CONDITIONS) == documented
