"""The in-process message bus."""

from __future__ import annotations

import uuid

import pytest

from application.events import Event, LocationDeleted, WeatherRefreshed
from application.message_bus import MessageBus


def test_each_handler_of_an_event_type_receives_it_in_subscription_order() -> None:
    bus = MessageBus()
    seen: list[str] = []
    bus.subscribe(LocationDeleted, lambda event: seen.append("first"))
    bus.subscribe(LocationDeleted, lambda event: seen.append("second"))
    bus.subscribe(WeatherRefreshed, lambda event: seen.append("other"))
    bus.publish(LocationDeleted(uuid.uuid4()))
    assert seen == ["first", "second"]


def test_events_published_by_handlers_run_after_the_current_one_not_inside_it() -> None:
    bus = MessageBus()
    seen: list[Event] = []
    follow_up = WeatherRefreshed((), "p")

    def cascade(event: LocationDeleted) -> None:
        bus.publish(follow_up)
        seen.append(event)

    bus.subscribe(LocationDeleted, cascade)
    bus.subscribe(WeatherRefreshed, seen.append)
    first = LocationDeleted(uuid.uuid4())
    bus.publish(first)
    assert seen == [first, follow_up]


def test_a_failing_handler_is_logged_and_does_not_stop_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = MessageBus()
    seen: list[Event] = []

    def broken(event: LocationDeleted) -> None:
        raise RuntimeError("boom")

    bus.subscribe(LocationDeleted, broken)
    bus.subscribe(LocationDeleted, seen.append)
    bus.publish(LocationDeleted(uuid.uuid4()))
    assert len(seen) == 1
    assert "boom" in caplog.text
    bus.publish(LocationDeleted(uuid.uuid4()))
    assert len(seen) == 2
