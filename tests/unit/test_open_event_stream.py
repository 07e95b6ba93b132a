"""`OpenEventStream`: what a stream is checked for before it starts, and where it starts."""

from __future__ import annotations

import uuid

import pytest

from application.use_cases.open_event_stream import (
    MAX_LOCATIONS,
    OpenEventStream,
    OpenEventStreamQuery,
)
from application.use_cases.register_location import RegisterLocation, RegisterLocationCommand
from domain.errors import InvalidInput
from tests.support.core import Core, a_core

pytestmark = pytest.mark.unit


def registered(core: Core, name: str = "Samara", latitude: float = 53.2) -> uuid.UUID:
    return (
        RegisterLocation(core.uow, core.clock)
        .execute(RegisterLocationCommand(name=name, latitude=latitude, longitude=50.15))
        .id
    )


def opened(core: Core) -> OpenEventStream:
    return OpenEventStream(core.uow, core.store.events)


def test_without_a_resume_point_a_stream_starts_at_the_newest_id() -> None:
    core = a_core()
    registered(core)
    registered(core, "Kazan", 55.8)

    start = opened(core).execute(OpenEventStreamQuery())

    assert start.after_id == core.store.events.latest_id() == 2


def test_with_a_resume_point_it_starts_there_for_whom_and_on_what_it_was_asked() -> None:
    core = a_core()
    samara = registered(core)

    start = opened(core).execute(
        OpenEventStreamQuery(last_event_id=0, location_ids=[samara], requester_id="1001")
    )

    assert (start.after_id, start.location_ids, start.requester_id) == (
        0,
        frozenset({samara}),
        "1001",
    )


def test_a_location_that_does_not_exist_is_invalid_input_naming_it() -> None:
    core = a_core()
    samara, nowhere = registered(core), uuid.uuid4()

    with pytest.raises(InvalidInput) as raised:
        opened(core).execute(OpenEventStreamQuery(location_ids=[samara, nowhere]))

    assert raised.value.field == "location"
    assert str(nowhere) in raised.value.render()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"last_event_id": -1}, "last_event_id"),
        ({"last_event_id": True}, "last_event_id"),
        ({"location_ids": [uuid.uuid4() for _ in range(MAX_LOCATIONS + 1)]}, "location"),
    ],
)
def test_a_query_out_of_range_is_invalid_input(query: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        OpenEventStreamQuery(**query)  # type: ignore[arg-type]

    assert raised.value.field == field
