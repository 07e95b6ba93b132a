"""Backfilling history from an archive provider."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import pytest

from application.events import ObservationsStored
from application.use_cases.backfill_history import (
    BackfillHistory,
    BackfillHistoryCommand,
    BackfillProgress,
)
from application.use_cases.request_backfill import RequestBackfill, RequestBackfillCommand
from domain.aggregation import local_date, local_day_bounds
from domain.errors import InvalidInput, NotFound, ProviderUnavailable
from domain.locations import Coordinates, Location
from domain.observations import Observation
from tests.support.builders import NOW, a_location
from tests.support.core import Core, a_core

TODAY = NOW.date()  # 2026-11-24, the fake clock's day, in UTC and in Samara (UTC+4) alike


def use_case(core: Core) -> BackfillHistory:
    return BackfillHistory(core.uow, core.history, core.clock)


def backfill(core: Core, location: Location, start: date, end: date) -> int:
    command = BackfillHistoryCommand(location_id=location.id, start=start, end=end)
    return use_case(core).execute(command).observations_stored


def test_backfill_stores_every_hour_of_the_range_in_month_sized_chunks() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    progress: list[BackfillProgress] = []
    result = use_case(core).execute(
        BackfillHistoryCommand(
            location_id=location.id, start=date(2026, 1, 1), end=date(2026, 3, 5)
        ),
        on_progress=progress.append,
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
    assert [(step.days_done, step.days_total) for step in progress] == [
        (day, 64) for day in range(1, 65)
    ]
    assert core.published(ObservationsStored) == []


def test_progress_is_reported_after_each_stored_day_not_after_each_chunk() -> None:
    """Each report comes after its day is committed, with three provider calls for 64 days."""
    core = a_core()
    location = a_location()
    core.add(location)
    seen: list[tuple[int, date, int, int]] = []

    def on_progress(step: BackfillProgress) -> None:
        seen.append(
            (step.days_done, step.day, step.observations_stored, len(core.store.observations.rows))
        )

    use_case(core).execute(
        BackfillHistoryCommand(
            location_id=location.id, start=date(2026, 1, 1), end=date(2026, 3, 5)
        ),
        on_progress=on_progress,
    )

    assert len(core.history.calls) == 3
    assert seen == [
        (day, date(2026, 1, 1) + timedelta(days=day - 1), day * 24, day * 24)
        for day in range(1, 65)
    ]


def test_a_day_the_archive_has_no_readings_for_still_advances_the_progress() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    original = core.history.fetch_history

    def without_the_second_day(loc: Location, start: date, end: date) -> Sequence[Observation]:
        return [
            r
            for r in original(loc, start, end)
            if local_date(r.observed_at, loc.timezone) != date(2026, 1, 2)
        ]

    core.history.fetch_history = without_the_second_day  # type: ignore[method-assign,assignment]
    progress: list[BackfillProgress] = []
    use_case(core).execute(
        BackfillHistoryCommand(
            location_id=location.id, start=date(2026, 1, 1), end=date(2026, 1, 3)
        ),
        on_progress=progress.append,
    )

    assert [(step.day.day, step.observations_stored) for step in progress] == [
        (1, 24),
        (2, 24),
        (3, 48),
    ]


def test_a_backfill_interrupted_inside_a_chunk_keeps_the_days_it_stored() -> None:
    core = a_core()
    location = a_location()
    core.add(location)

    def stop_after_ten_days(step: BackfillProgress) -> None:
        if step.days_done == 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        use_case(core).execute(
            BackfillHistoryCommand(
                location_id=location.id, start=date(2026, 1, 1), end=date(2026, 1, 31)
            ),
            on_progress=stop_after_ten_days,
        )
    assert len(core.store.observations.rows) == 10 * 24
    assert backfill(core, location, date(2026, 1, 1), date(2026, 1, 31)) == 21 * 24


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

    def fail_on_second_chunk(loc: Location, start: date, end: date) -> Sequence[Observation]:
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
        use_case(core).execute(
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


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (TODAY, TODAY + timedelta(days=1), "end"),
        (TODAY + timedelta(days=1), TODAY + timedelta(days=2), "start"),
    ],
    ids=["end-tomorrow", "both-ahead"],
)
def test_backfill_refuses_days_after_today_without_asking_the_provider(
    start: date, end: date, field: str
) -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    with pytest.raises(InvalidInput) as raised:
        backfill(core, location, start, end)
    assert raised.value.field == field
    assert raised.value.reason == "must not be after today (2026-11-24, Europe/Samara)."
    assert core.history.calls == []


def test_today_is_the_last_day_a_backfill_may_ask_for() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    assert backfill(core, location, TODAY - timedelta(days=1), TODAY) == 48


@pytest.mark.parametrize(
    ("timezone", "begins_at"),
    [
        ("UTC", "2026-11-25T00:00:00+00:00"),
        ("Pacific/Kiritimati", "2026-11-24T10:00:00+00:00"),  # UTC+14
        ("America/Los_Angeles", "2026-11-25T08:00:00+00:00"),  # UTC-8 in November
    ],
)
def test_today_is_the_location_s_day_not_the_utc_one(timezone: str, begins_at: str) -> None:
    """A local date may be asked for from its local midnight on, not from UTC's."""
    core = a_core()
    location = a_location(timezone=timezone)
    core.add(location)
    local_midnight = datetime.fromisoformat(begins_at)
    core.clock.set(local_midnight - timedelta(seconds=1))
    with pytest.raises(InvalidInput) as raised:
        backfill(core, location, date(2026, 11, 25), date(2026, 11, 25))
    assert raised.value.reason == f"must not be after today (2026-11-24, {timezone})."
    assert core.history.calls == []
    core.clock.set(local_midnight)
    assert backfill(core, location, date(2026, 11, 25), date(2026, 11, 25)) == 24


def summary_hours(core: Core, location: Location, start: date, end: date) -> dict[date, int]:
    """Readings per local day, as the daily summaries count them."""
    since, _ = local_day_bounds(start, location.timezone)
    _, until = local_day_bounds(end, location.timezone)
    with core.uow as uow:
        summaries = uow.observations.daily_summaries(location.id, location.timezone, since, until)
    return {summary.date: summary.observation_count for summary in summaries}


@pytest.mark.parametrize(
    ("timezone", "start", "end", "hours"),
    [
        ("Europe/Paris", date(2026, 10, 24), date(2026, 10, 26), [24, 25, 24]),
        ("Europe/Paris", date(2026, 3, 29), date(2026, 3, 29), [23]),
        ("Pacific/Kiritimati", date(2026, 10, 24), date(2026, 10, 26), [24, 24, 24]),
        ("America/Los_Angeles", date(2026, 10, 31), date(2026, 11, 2), [24, 25, 24]),
        ("America/Los_Angeles", date(2026, 3, 8), date(2026, 3, 8), [23]),
        ("Asia/Kolkata", date(2026, 10, 24), date(2026, 10, 25), [24, 24]),
    ],
    ids=["paris-autumn", "paris-spring", "kiritimati", "los-angeles-autumn", "los-angeles-spring",
         "kolkata-half-hour"],
)  # fmt: skip
def test_the_dates_are_the_location_s_local_days_dst_days_included(
    timezone: str, start: date, end: date, hours: list[int]
) -> None:
    core = a_core()
    location = a_location(timezone=timezone)
    core.add(location)
    progress: list[BackfillProgress] = []

    result = use_case(core).execute(
        BackfillHistoryCommand(location_id=location.id, start=start, end=end),
        on_progress=progress.append,
    )

    days = [start + timedelta(days=offset) for offset in range(len(hours))]
    assert summary_hours(core, location, start, end) == dict(zip(days, hours, strict=True))
    assert [(step.day, step.observations_stored) for step in progress] == [
        (day, sum(hours[: index + 1])) for index, day in enumerate(days)
    ]
    assert result.observations_stored == sum(hours)
    assert [(start_, end_) for _, start_, end_ in core.history.calls] == [(start, end)]
    since, _ = local_day_bounds(start, timezone)
    _, until = local_day_bounds(end, timezone)
    assert all(since <= r.observed_at < until for r in core.store.observations.rows.values())


def test_each_stored_day_is_one_local_day_even_when_a_chunk_ends_mid_utc_day() -> None:
    """Paris, 33 days across the October change: two provider calls, each day whole."""
    core = a_core()
    location = a_location(timezone="Europe/Paris")
    core.add(location)

    backfill(core, location, date(2026, 10, 1), date(2026, 11, 2))

    assert [(start, end) for _, start, end in core.history.calls] == [
        (date(2026, 10, 1), date(2026, 10, 31)),
        (date(2026, 11, 1), date(2026, 11, 2)),
    ]
    hours = summary_hours(core, location, date(2026, 10, 1), date(2026, 11, 2))
    assert len(hours) == 33
    assert {day: count for day, count in hours.items() if count != 24} == {date(2026, 10, 25): 25}


def test_a_queued_backfill_is_refused_for_a_future_date_before_it_is_queued() -> None:
    core = a_core()
    location = a_location()
    core.add(location)
    request = RequestBackfill(core.uow, core.tasks, core.clock)
    with pytest.raises(InvalidInput) as raised:
        request.execute(
            RequestBackfillCommand(
                location_id=location.id, start=TODAY, end=TODAY + timedelta(days=1)
            )
        )
    assert raised.value.field == "end"
    assert raised.value.reason == "must not be after today (2026-11-24, Europe/Samara)."
    assert core.tasks.queued == []
    request.execute(RequestBackfillCommand(location_id=location.id, start=TODAY, end=TODAY))
    assert core.tasks.queued[0].arguments == (location.id, TODAY, TODAY)


def test_a_queued_backfill_is_refused_by_the_location_s_today_not_utc_s() -> None:
    """At 20:00 UTC on the 24th it is already the 25th in Kiritimati, still the 24th in LA."""
    core = a_core()
    kiritimati = a_location(name="Kiritimati", timezone="Pacific/Kiritimati")
    los_angeles = a_location(
        name="Los Angeles", coordinates=Coordinates(34.05, -118.24), timezone="America/Los_Angeles"
    )
    core.add(kiritimati, los_angeles)
    core.clock.set(datetime.fromisoformat("2026-11-24T20:00:00+00:00"))
    request = RequestBackfill(core.uow, core.tasks, core.clock)
    tomorrow_in_utc = TODAY + timedelta(days=1)

    request.execute(
        RequestBackfillCommand(location_id=kiritimati.id, start=TODAY, end=tomorrow_in_utc)
    )
    with pytest.raises(InvalidInput) as raised:
        request.execute(
            RequestBackfillCommand(location_id=los_angeles.id, start=TODAY, end=tomorrow_in_utc)
        )

    assert raised.value.reason == "must not be after today (2026-11-24, America/Los_Angeles)."
    assert [task.arguments for task in core.tasks.queued] == [
        (kiritimati.id, TODAY, tomorrow_in_utc)
    ]


def test_an_unknown_location_is_not_found_whatever_its_dates() -> None:
    """Today is the location's, so a date can only be judged once the location is found."""
    core = a_core()
    request = RequestBackfill(core.uow, core.tasks, core.clock)
    with pytest.raises(NotFound):
        request.execute(
            RequestBackfillCommand(
                location_id=uuid.uuid4(), start=TODAY, end=TODAY + timedelta(days=3)
            )
        )
    assert core.tasks.queued == []
