"""The JSON forms of the results the live events carry: `to_json` is JSON-able, `from_json` gives
back an equal result, and anything else is refused as `InvalidInput`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from application.results.alerts import AlertResult
from application.results.locations import LocationResult
from domain.errors import InvalidInput
from tests.support.builders import NOW, a_location, a_rule, an_alert

instants = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


def test_a_location_goes_to_json_and_back() -> None:
    result = LocationResult.from_domain(a_location())

    data = result.to_json()

    assert json.loads(json.dumps(data)) == data
    assert data["id"] == str(result.id)
    assert data["created_at"] == "2026-11-24T14:00:00Z"
    assert LocationResult.from_json(data) == result


@given(
    created_at=instants,
    elevation=st.none() | st.floats(-500, 9000),
    country_code=st.none() | st.just("FR"),
)
def test_any_location_comes_back_equal(
    created_at: datetime, elevation: float | None, country_code: str | None
) -> None:
    location = a_location(now=created_at, elevation=elevation, country_code=country_code)
    result = LocationResult.from_domain(location)
    assert LocationResult.from_json(json.loads(json.dumps(result.to_json()))) == result


def test_an_alert_goes_to_json_and_back() -> None:
    result = AlertResult.from_domain(an_alert(a_rule(), raised_at=NOW + timedelta(seconds=1.5)))

    data = result.to_json()

    assert json.loads(json.dumps(data)) == data
    assert (data["metric"], data["operator"]) == ("temperature", "gt")
    assert data["raised_at"] == "2026-11-24T14:00:01.500000Z"
    assert AlertResult.from_json(data) == result


def test_an_instant_in_another_offset_is_read_as_the_same_utc_instant() -> None:
    data: dict[str, Any] = LocationResult.from_domain(a_location()).to_json()
    data["updated_at"] = "2026-11-24T16:00:00+02:00"
    updated_at = LocationResult.from_json(data).updated_at
    assert (updated_at, updated_at.utcoffset()) == (NOW, timedelta(0))


@pytest.mark.parametrize(
    "change",
    [
        {"id": "not-a-uuid"},
        {"latitude": "48.1"},
        {"latitude": True},
        {"created_at": "2026-11-24T14:00:00"},  # naive
        {"name": None},
    ],
)
def test_a_location_form_that_is_not_one_is_refused(change: dict[str, object]) -> None:
    data = {**LocationResult.from_domain(a_location()).to_json(), **change}
    with pytest.raises(InvalidInput):
        LocationResult.from_json(data)


@pytest.mark.parametrize(
    "change", [{"metric": "humidity"}, {"delivered": "no"}, {"value": None}, {"rule_id": 7}]
)
def test_an_alert_form_that_is_not_one_is_refused(change: dict[str, object]) -> None:
    data = {**AlertResult.from_domain(an_alert()).to_json(), **change}
    with pytest.raises(InvalidInput):
        AlertResult.from_json(data)


def test_a_form_missing_a_field_is_refused() -> None:
    data = LocationResult.from_domain(a_location()).to_json()
    del data["timezone"]
    with pytest.raises(InvalidInput):
        LocationResult.from_json(data)
