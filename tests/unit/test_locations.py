"""Coordinates, locations and geocoded places: what may exist."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import Forbidden, InvalidInput
from domain.locations import Coordinates, Place
from tests.support.builders import NOW, OTHER_OWNER, OWNER, a_location

any_float = st.floats(allow_nan=True, allow_infinity=True)


@given(any_float, st.floats(min_value=-180, max_value=180))
def test_latitude_is_accepted_exactly_within_minus_90_to_90(latitude: float, lon: float) -> None:
    if math.isfinite(latitude) and -90 <= latitude <= 90:
        assert Coordinates(latitude, lon).latitude == round(latitude, 4)
    else:
        with pytest.raises(InvalidInput) as raised:
            Coordinates(latitude, lon)
        assert raised.value.field == "latitude"


@given(st.floats(min_value=-90, max_value=90), any_float)
def test_longitude_is_accepted_exactly_within_minus_180_to_180(
    lat: float, longitude: float
) -> None:
    if math.isfinite(longitude) and -180 <= longitude <= 180:
        assert Coordinates(lat, longitude).longitude == round(longitude, 4)
    else:
        with pytest.raises(InvalidInput) as raised:
            Coordinates(lat, longitude)
        assert raised.value.field == "longitude"


def test_coordinates_are_rounded_to_four_decimals_so_nearby_points_are_the_same_place() -> None:
    assert Coordinates(48.856613, 2.352222) == Coordinates(48.85661, 2.35222)
    assert Coordinates(48.856613, 2.352222).latitude == 48.8566


def test_coordinates_refuse_what_is_not_a_number() -> None:
    with pytest.raises(InvalidInput):
        Coordinates(True, 0.0)
    with pytest.raises(InvalidInput):
        Coordinates("48.8", 0.0)  # type: ignore[arg-type]


def test_a_registered_location_gets_an_identity_and_timestamps() -> None:
    first, second = a_location(), a_location()
    assert first.id != second.id
    assert first.created_at == first.updated_at == NOW


def test_a_location_without_timezone_lives_in_utc() -> None:
    assert a_location(timezone=None).timezone == "UTC"


@pytest.mark.parametrize("name", ["Mars/Olympus", "europe/paris ", "", "../etc/passwd"])
def test_a_location_refuses_a_timezone_iana_does_not_know(name: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        a_location(timezone=name)
    assert raised.value.field == "timezone"


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_a_location_name_has_1_to_200_characters(name: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        a_location(name=name)
    assert raised.value.field == "name"


def test_a_location_name_is_trimmed() -> None:
    assert a_location(name="  Paris ").name == "Paris"
    assert a_location(name="x" * 200).name == "x" * 200


def test_country_code_is_two_letters_in_upper_case_or_unknown() -> None:
    assert a_location(country_code="fr").country_code == "FR"
    assert a_location(country_code="").country_code is None
    for bad in ("FRA", "F1", "ÉÉ", 12):
        with pytest.raises(InvalidInput):
            a_location(country_code=bad)


def test_admin1_is_optional_trimmed_text() -> None:
    assert a_location(admin1=" Île-de-France ").admin1 == "Île-de-France"
    assert a_location(admin1="  ").admin1 is None
    with pytest.raises(InvalidInput):
        a_location(admin1="x" * 201)
    with pytest.raises(InvalidInput):
        a_location(admin1=3)


def test_a_location_refuses_non_text_names_and_non_coordinates() -> None:
    with pytest.raises(InvalidInput):
        a_location(name=42)
    with pytest.raises(InvalidInput):
        a_location(coordinates=(1.0, 2.0))


def test_a_location_stays_valid_when_a_field_is_assigned() -> None:
    location = a_location()
    with pytest.raises(InvalidInput):
        location.timezone = "Nowhere/Land"


def test_a_location_refuses_naive_timestamps_and_stores_aware_ones_in_utc() -> None:
    with pytest.raises(InvalidInput):
        a_location(now=datetime(2026, 1, 1))
    with pytest.raises(InvalidInput):
        a_location(now="2026-01-01")
    local = datetime(2026, 1, 1, 12, tzinfo=timezone(timedelta(hours=4)))
    assert a_location(now=local).created_at.utcoffset() == timedelta(0)
    assert a_location(now=local).created_at.hour == 8


def test_a_place_keeps_an_unknown_timezone_as_reported() -> None:
    place = Place(name="Samara", coordinates=Coordinates(53.20767, 50.13553), timezone="Odd/Zone")
    assert place.timezone == "Odd/Zone"
    assert place.coordinates.latitude == 53.2077


@pytest.mark.parametrize("metres", [-500, -430.5, 0, 8848.86, 9000])
def test_an_elevation_within_minus_500_to_9000_metres_is_kept(metres: float) -> None:
    assert a_location(elevation=metres).elevation == metres


@pytest.mark.parametrize(
    "metres", [-500.01, 9000.01, 1e308, -1e308, math.inf, -math.inf, math.nan, True, "117"]
)
def test_an_elevation_outside_minus_500_to_9000_metres_or_not_a_number_is_refused(
    metres: object,
) -> None:
    with pytest.raises(InvalidInput) as raised:
        a_location(elevation=metres)
    assert raised.value.field == "elevation"


def test_an_elevation_is_checked_again_when_assigned() -> None:
    location = a_location()
    with pytest.raises(InvalidInput):
        location.elevation = 9001.0
    assert location.elevation == 117.0


def test_an_unknown_elevation_is_none() -> None:
    assert a_location(elevation=None).elevation is None


# --- who may change a location (CONTRACT.md §3) ---------------------------------------------------


@pytest.mark.parametrize(
    ("created_by", "user_id", "is_staff", "allowed"),
    [
        (OWNER, OWNER, False, True),  # its creator
        (OWNER, OTHER_OWNER, False, False),  # someone else
        (OWNER, None, False, False),  # nobody
        (OWNER, OTHER_OWNER, True, True),  # staff
        (None, OWNER, False, False),  # no creator (the command line's): staff only
        (None, None, False, False),  # no creator is not "the same nobody"
        (None, OWNER, True, True),
    ],
)
def test_a_location_may_be_changed_by_its_creator_or_staff_only(
    created_by: str | None, user_id: str | None, is_staff: bool, allowed: bool
) -> None:
    location = a_location(created_by=created_by)

    assert location.may_be_changed_by(user_id, is_staff=is_staff) is allowed
    if allowed:
        location.check_may_be_changed_by(user_id, is_staff=is_staff)
    else:
        with pytest.raises(Forbidden, match=str(location.id)):
            location.check_may_be_changed_by(user_id, is_staff=is_staff)


def test_a_location_remembers_who_registered_it_and_nobody_by_default() -> None:
    assert a_location(created_by=OWNER).created_by == OWNER
    assert a_location().created_by is None


@pytest.mark.parametrize("created_by", ["", 7])
def test_a_creator_must_be_an_account_id(created_by: object) -> None:
    with pytest.raises(InvalidInput) as raised:
        a_location(created_by=created_by)
    assert raised.value.field == "created_by"
