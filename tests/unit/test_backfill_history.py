"""Backfilling history from an archive provider."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from application.events import ObservationStored
from application.use_cases.backfill_history import BackfillHistory, BackfillHistoryCommand
from domain.errors import InvalidInput, NotFound, ProviderUnavailable
from domain.locations import Location
from tests.unit.builders import Core, a_core, a_location


def backfill(core: Core, location: Location, start: date, end: date) -> int:
    command = BackfillHistoryCommand(location_id=location.id, start=start, end=end)
    return BackfillHistory(core.uow, core.history).execute(command).observations_stored


def test_backfill_stores_every_hour_of_the_range_in_month_sized_chunks() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    progress: list[tuple[int, int]] = []
    result = BackfillHistory(core.uow, core.history).execute(
        BackfillHistoryCommand(
            location_id=location.id, start=date(2026, 1, 1), end=date(2026, 3, 5)
        ),
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert (result.days, result.observations_stored, result.provider) == (
        64,
        64 * 24,
        "fake-archive",
    )
    assert [(start, end) for _, start, end in core.history.calls] == [
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 3, 3)),
        (date(2026, 3, 4), date(2026, 3, 5)),
    ]
    assert progress == [(31, 64), (62, 64), (64, 64)]
    assert core.published(ObservationStored) == []


def test_backfilling_again_adds_nothing_new() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    backfill(core, location, date(2026, 1, 1), date(2026, 1, 2))
    assert backfill(core, location, date(2026, 1, 1), date(2026, 1, 3)) == 24
    assert len(core.store.observations.rows) == 72


def test_an_interrupted_backfill_keeps_the_chunks_it_finished() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    original = core.history.fetch_history

    def fail_on_second_chunk(loc: Location, start: date, end: date) -> list[object]:
        if start.month == 2:
            raise ProviderUnavailable("fake-archive", "502")
        return list(original(loc, start, end))

    core.history.fetch_history = fail_on_second_chunk  # type: ignore[method-assign,assignment]
    with pytest.raises(ProviderUnavailable):
        backfill(core, location, date(2026, 1, 1), date(2026, 2, 10))
    assert len(core.store.observations.rows) == 31 * 24


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(date(2026, 2, 1), date(2026, 1, 1), "end"), (date(2025, 1, 1), date(2026, 1, 2), "start")],
)
def test_backfill_refuses_reversed_or_too_long_ranges(start: date, end: date, field: str) -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    with pytest.raises(InvalidInput) as raised:
        backfill(core, location, start, end)
    assert raised.value.field == field
    assert core.history.calls == []


def test_backfilling_an_unknown_location_is_not_found() -> None:
    core = a_core()
    with pytest.raises(NotFound):
        BackfillHistory(core.uow, core.history).execute(
            BackfillHistoryCommand(
                location_id=uuid.uuid4(), start=date(2026, 1, 1), end=date(2026, 1, 1)
            )
        )


def test_an_unavailable_archive_stores_nothing() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    core.history.fail()
    with pytest.raises(ProviderUnavailable):
        backfill(core, location, date(2026, 1, 1), date(2026, 1, 1))
    assert core.store.observations.rows == {}
    core.history.recover()
    assert backfill(core, location, date(2026, 1, 1), date(2026, 1, 1)) == 24
