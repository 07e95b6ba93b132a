"""`ReadEvents`: what a stream may send after its last id, with visibility and filters applied on
the server, over the in-memory event log that the fake unit of work's commits write."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from application.ports.event_log import EventEntry, StoredEvent
from application.refresh.pipeline import RefreshPipeline
from application.requesters import Requester
from application.results.alerts import AlertResult
from application.results.locations import LocationResult
from application.use_cases.delete_location import DeleteLocation, DeleteLocationCommand
from application.use_cases.read_events import ReadEvents, ReadEventsQuery, ReadEventsResult
from application.use_cases.refresh_location import RefreshLocation, RefreshLocationCommand
from application.use_cases.register_location import RegisterLocation, RegisterLocationCommand
from application.use_cases.update_location import UpdateLocation, UpdateLocationCommand
from domain.errors import InvalidInput
from tests.support.builders import NOW, OTHER_OWNER, OWNER, a_rule
from tests.support.core import Core, a_core
from tests.support.fakes.event_log import InMemoryEventLog

HERE, THERE, ELSEWHERE = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def a_log(*entries: EventEntry) -> InMemoryEventLog:
    log = InMemoryEventLog()
    for entry in entries:
        log.append([entry], NOW)
    return log


def refreshed(*location_ids: uuid.UUID) -> EventEntry:
    return EventEntry(
        type="weather.refreshed",
        data={"location_ids": [str(i) for i in location_ids], "provider": "open-meteo"},
        location_ids=location_ids,
    )


def raised(location_id: uuid.UUID, owner_id: str) -> EventEntry:
    return EventEntry(type="alert.raised", data={}, location_ids=(location_id,), owner_id=owner_id)


def read(log: InMemoryEventLog, after_id: int = 0, **query: object) -> ReadEventsResult:
    return ReadEvents(log).execute(ReadEventsQuery(after_id, **query))  # type: ignore[arg-type]


def ids(events: tuple[StoredEvent, ...]) -> list[int]:
    return [event.id for event in events]


# --- visibility and filters -----------------------------------------------------------------------


def test_an_anonymous_stream_never_sees_an_alert() -> None:
    log = a_log(refreshed(HERE), raised(HERE, OWNER), refreshed(THERE))

    result = read(log)

    assert ids(result.events) == [1, 3]
    assert (result.last_id, result.reset) == (3, False)


def test_an_alert_reaches_its_owner_alone() -> None:
    log = a_log(raised(HERE, OWNER), raised(HERE, OTHER_OWNER))

    assert ids(read(log, requester_id=OWNER).events) == [1]
    assert ids(read(log, requester_id=OTHER_OWNER).events) == [2]
    assert ids(read(log, requester_id="someone else").events) == []


def test_a_stream_limited_to_locations_gets_the_events_that_concern_one_of_them() -> None:
    log = a_log(refreshed(HERE), refreshed(THERE, ELSEWHERE), refreshed(ELSEWHERE))

    assert ids(read(log, location_ids=frozenset({THERE})).events) == [2]
    assert ids(read(log, location_ids=frozenset({HERE, ELSEWHERE})).events) == [1, 2, 3]
    assert ids(read(log, location_ids=frozenset()).events) == [1, 2, 3]


def test_filtered_out_events_still_move_the_resume_point_past_them() -> None:
    log = a_log(refreshed(HERE), refreshed(THERE), raised(THERE, OWNER))

    result = read(log, location_ids=frozenset({ELSEWHERE}))

    assert result == ReadEventsResult(events=(), last_id=3, reset=False)
    assert read(log, 3) == ReadEventsResult(events=(), last_id=3, reset=False)


def test_a_read_returns_at_most_its_limit_in_order_and_resumes_after_the_last_one_read() -> None:
    log = a_log(*(refreshed(HERE) for _ in range(5)))

    first = read(log, limit=2)
    second = read(log, first.last_id, limit=2)
    third = read(log, second.last_id, limit=2)

    assert [ids(r.events) for r in (first, second, third)] == [[1, 2], [3, 4], [5]]
    assert third.last_id == 5


def test_a_limit_hidden_entirely_by_the_filter_still_advances_by_that_limit() -> None:
    log = a_log(*(refreshed(HERE) for _ in range(4)), refreshed(THERE))

    hidden = read(log, location_ids=frozenset({THERE}), limit=2)
    rest = read(log, hidden.last_id, location_ids=frozenset({THERE}), limit=10)

    assert (hidden.events, hidden.last_id) == ((), 2)
    assert ids(rest.events) == [5]


# --- resuming across the retention purge ---------------------------------------------------------


def test_a_stream_behind_the_purge_is_told_to_reset_from_the_newest_id() -> None:
    log = InMemoryEventLog()
    log.append([refreshed(HERE), refreshed(HERE)], NOW)
    log.append([refreshed(THERE)], NOW + timedelta(hours=2))
    assert log.purge_older_than(NOW + timedelta(hours=1)) == 2

    assert read(log, 0) == ReadEventsResult(events=(), last_id=3, reset=True)
    assert read(log, 1) == ReadEventsResult(events=(), last_id=3, reset=True)
    resumed = read(log, 2)  # saw everything that was purged
    assert (ids(resumed.events), resumed.reset) == ([3], False)


def test_an_id_this_log_never_gave_is_a_reset_too() -> None:
    log = a_log(refreshed(HERE))

    assert read(log, 7) == ReadEventsResult(events=(), last_id=1, reset=True)
    assert read(log, 1) == ReadEventsResult(events=(), last_id=1, reset=False)


def test_an_empty_log_has_nothing_to_send_and_nothing_to_reset() -> None:
    assert read(InMemoryEventLog()) == ReadEventsResult(events=(), last_id=0, reset=False)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"after_id": -1}, "last_event_id"),
        ({"after_id": True}, "last_event_id"),
        ({"after_id": 0, "limit": 0}, "limit"),
        ({"after_id": 0, "limit": 100_000}, "limit"),
    ],
)
def test_a_query_out_of_range_is_invalid_input(query: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        ReadEventsQuery(**query)  # type: ignore[arg-type]
    assert refused.value.field == field


# --- the events the core's own use cases log -----------------------------------------------------


def the_core() -> Core:
    core = a_core()
    core.store.events.clock = core.clock
    return core


def test_the_use_cases_log_what_a_stream_shows_as_the_api_would() -> None:
    core = the_core()
    registered = RegisterLocation(core.uow, core.clock).execute(
        RegisterLocationCommand(
            name="Paris", latitude=48.8566, longitude=2.3522, timezone="Europe/Paris"
        )
    )
    core.clock.advance(timedelta(minutes=1))
    staff = Requester(user_id="9", is_staff=True)
    renamed = UpdateLocation(core.uow, core.clock).execute(
        UpdateLocationCommand(location_id=registered.id, requester=staff, name="Paris 1er")
    )
    DeleteLocation(core.uow).execute(
        DeleteLocationCommand(location_id=registered.id, requester=staff)
    )

    result = ReadEvents(core.store.events).execute(ReadEventsQuery(0))

    assert [event.type for event in result.events] == [
        "location.created",
        "location.updated",
        "location.deleted",
    ]
    created, updated, deleted = result.events
    assert LocationResult.from_json(created.data) == registered
    assert LocationResult.from_json(updated.data) == renamed
    assert deleted.data == {"location_id": str(registered.id)}


def test_a_refresh_logs_one_weather_refreshed_and_its_alert_reaches_only_the_owner() -> None:
    core = the_core()
    location = RegisterLocation(core.uow, core.clock).execute(
        RegisterLocationCommand(name="Samara", latitude=53.2, longitude=50.15)
    )
    core.add_rule(a_rule(location.id, threshold=10.0))  # the provider says 18.5 °C

    RefreshLocation(RefreshPipeline(core.uow, [core.provider])).execute(
        RefreshLocationCommand(location.id)
    )

    everything = ReadEvents(core.store.events).execute(ReadEventsQuery(0, requester_id=OWNER))
    anonymous = ReadEvents(core.store.events).execute(ReadEventsQuery(0))
    assert [event.type for event in everything.events] == [
        "location.created",
        "weather.refreshed",
        "alert.raised",
    ]
    assert [event.type for event in anonymous.events] == ["location.created", "weather.refreshed"]
    assert anonymous.last_id == everything.last_id == 3
    weather, alert = everything.events[1:]
    assert weather.data == {
        "location_ids": [str(location.id)],
        "provider": core.provider.name,
        "refreshed_at": NOW.isoformat().replace("+00:00", "Z"),
    }
    assert weather.location_ids == (location.id,)
    assert alert.owner_id == OWNER
    assert AlertResult.from_json(alert.data).location_id == location.id
