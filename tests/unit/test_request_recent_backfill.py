"""Queueing "the last N days" of history for several locations: each in its own calendar."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from application.use_cases.request_recent_backfill import (
    RequestRecentBackfill,
    RequestRecentBackfillCommand,
    RequestRecentBackfillResult,
)
from domain.errors import InvalidInput, NotFound
from domain.locations import Coordinates
from tests.support.builders import a_location
from tests.support.core import Core, a_core

# NOW (builders) is 2026-11-24 14:00 UTC: the 25th in Kiritimati, the 24th in Los Angeles.
KIRITIMATI = a_location(
    name="Kiritimati", coordinates=Coordinates(1.8721, -157.4278), timezone="Pacific/Kiritimati"
)
LOS_ANGELES = a_location(
    name="Los Angeles",
    coordinates=Coordinates(34.0522, -118.2437),
    timezone="America/Los_Angeles",
)


def request(core: Core, *location_ids: uuid.UUID, days: int) -> RequestRecentBackfillResult:
    use_case = RequestRecentBackfill(core.uow, core.tasks, core.clock)
    return use_case.execute(RequestRecentBackfillCommand(location_ids=location_ids, days=days))


def test_each_location_gets_its_own_last_n_local_days_today_included() -> None:
    core = a_core()
    core.add(KIRITIMATI, LOS_ANGELES)

    result = request(core, KIRITIMATI.id, LOS_ANGELES.id, days=3)

    assert [task.arguments for task in core.tasks.queued] == [
        (KIRITIMATI.id, date(2026, 11, 23), date(2026, 11, 25)),
        (LOS_ANGELES.id, date(2026, 11, 22), date(2026, 11, 24)),
    ]
    assert [(q.location_name, q.task_id) for q in result.queued] == [
        ("Kiritimati", core.tasks.queued[0].task_id),
        ("Los Angeles", core.tasks.queued[1].task_id),
    ]


def test_a_location_selected_twice_is_backfilled_once() -> None:
    core = a_core()
    core.add(KIRITIMATI)

    request(core, KIRITIMATI.id, KIRITIMATI.id, days=1)

    assert core.tasks.queued[0].arguments == (KIRITIMATI.id, date(2026, 11, 25), date(2026, 11, 25))
    assert len(core.tasks.queued) == 1


@pytest.mark.parametrize("days", [0, -1, 367, True])
def test_a_number_of_days_outside_1_to_366_is_refused_naming_days(days: int) -> None:
    core = a_core()
    core.add(KIRITIMATI)

    with pytest.raises(InvalidInput) as refused:
        request(core, KIRITIMATI.id, days=days)

    assert refused.value.field == "days"
    assert core.tasks.queued == []


def test_366_days_is_the_longest_backfill() -> None:
    core = a_core()
    core.add(LOS_ANGELES)

    request(core, LOS_ANGELES.id, days=366)

    ((_, start, end),) = [task.arguments for task in core.tasks.queued]
    assert (start, end) == (date(2025, 11, 24), date(2026, 11, 24))


def test_an_unknown_location_refuses_the_whole_request_before_anything_is_queued() -> None:
    core = a_core()
    core.add(KIRITIMATI)

    with pytest.raises(NotFound):
        request(core, KIRITIMATI.id, uuid.uuid4(), days=7)

    assert core.tasks.queued == []
