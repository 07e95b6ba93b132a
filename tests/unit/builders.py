"""Small builders for domain objects and a fully faked core, so tests state only what matters."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import attrs

from adapters.in_memory.clock import FakeClock
from adapters.in_memory.notifier import RecordingNotifier
from adapters.in_memory.providers import FakeGeocoder, FakeHistoryProvider, FakeWeatherProvider
from adapters.in_memory.task_queue import FakeTaskQueue
from adapters.in_memory.unit_of_work import InMemoryStore, InMemoryUnitOfWork
from application.event_handlers import subscribe_core_handlers
from application.events import Event
from application.message_bus import MessageBus
from application.ports.providers import WeatherProvider
from application.refresh.pipeline import RefreshPipeline
from domain.alerts import AlertRule, Metric, Operator
from domain.locations import Coordinates, Location
from domain.observations import Observation

NOW = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)
#: Accounts as the core names them: a user's primary key, as text. Where rules are stored, these
#: users must exist (`tests.support.accounts.the_builders_accounts`).
OWNER = "1001"
OTHER_OWNER = "1002"


def a_location(**overrides: Any) -> Location:
    fields: dict[str, Any] = {
        "name": "Samara",
        "coordinates": Coordinates(53.2, 50.15),
        "timezone": "Europe/Samara",
        "country_code": "RU",
        "admin1": "Samara Oblast",
        "elevation": 117.0,
        "now": NOW,
    }
    fields.update(overrides)
    return Location.register(**fields)


def an_observation(
    location_id: uuid.UUID | None = None,
    *,
    observed_at: datetime = NOW,
    provider: str = "open-meteo",
    fetched_at: datetime | None = None,
    **metrics: Any,
) -> Observation:
    return Observation(
        location_id=location_id or uuid.uuid4(),
        observed_at=observed_at,
        provider=provider,
        fetched_at=fetched_at or observed_at,
        **metrics,
    )


def a_rule(location_id: uuid.UUID | None = None, **overrides: Any) -> AlertRule:
    fields: dict[str, Any] = {
        "owner_id": OWNER,
        "location_id": location_id or uuid.uuid4(),
        "metric": Metric.TEMPERATURE,
        "operator": Operator.GT,
        "threshold": 30.0,
        "created_at": NOW,
    }
    fields.update(overrides)
    return AlertRule(**fields)


@attrs.define
class Core:
    """Every port faked, the unit of work's bus wired as production wires it, and a log of every
    event published."""

    store: InMemoryStore
    uow: InMemoryUnitOfWork
    clock: FakeClock
    provider: FakeWeatherProvider
    fallback: FakeWeatherProvider
    geocoder: FakeGeocoder
    history: FakeHistoryProvider
    tasks: FakeTaskQueue
    notifier: RecordingNotifier
    bus: MessageBus
    events: list[Event]

    @property
    def providers(self) -> Sequence[FakeWeatherProvider]:
        return [self.provider, self.fallback]

    def pipeline(self, providers: Sequence[WeatherProvider] = ()) -> RefreshPipeline:
        """The refresh pipeline over this core's unit of work (its providers unless told)."""
        return RefreshPipeline(self.uow, providers or self.providers)

    def add(self, *locations: Location) -> None:
        """Store locations (committed), as if registered earlier."""
        with self.uow as uow:
            for location in locations:
                uow.locations.add(location)
            uow.commit()

    def add_rule(self, rule: AlertRule) -> AlertRule:
        with self.uow as uow:
            uow.alerts.add_rule(rule)
            uow.commit()
        return rule

    def add_observations(self, *readings: Observation) -> None:
        with self.uow as uow:
            uow.observations.add_many(readings)
            uow.commit()

    def published(self, event_type: type[Event]) -> list[Event]:
        return [event for event in self.events if isinstance(event, event_type)]


def a_core(*, batch_size: int = 50) -> Core:
    store = InMemoryStore()
    bus = MessageBus()
    uow = InMemoryUnitOfWork(store, bus=bus)
    clock = FakeClock(NOW)
    tasks = FakeTaskQueue()
    events: list[Event] = []
    for event_type in Event.__subclasses__():
        bus.subscribe(event_type, events.append)
    subscribe_core_handlers(bus, uow=uow, clock=clock, tasks=tasks)
    return Core(
        store=store,
        uow=uow,
        clock=clock,
        provider=FakeWeatherProvider(clock, name="open-meteo", max_batch_size=batch_size),
        fallback=FakeWeatherProvider(clock, name="met-norway", max_batch_size=batch_size),
        geocoder=FakeGeocoder(),
        history=FakeHistoryProvider(),
        tasks=tasks,
        notifier=RecordingNotifier(),
        bus=bus,
        events=events,
    )
