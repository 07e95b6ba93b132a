"""The core with every port faked, wired by the bootstrap production uses (`a_core`).

Its unit of work comes from `application.bootstrap.bootstrap_unit_of_work`, the function the
container's `unit_of_work` provider calls with the Django unit of work: here with the in-memory
one, the fake clock and the fake task queue. So the core a unit test drives reacts to its events
as a worker's does (alert rules evaluated after a batch's commit, deliveries queued); only what
it fakes differs. Use cases are built by the tests themselves, from the ports kept here, as the
container builds them from its providers.

Pure Python like the core: ``tests/unit`` uses it without Django.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import attrs

from application.bootstrap import bootstrap_unit_of_work
from application.events import Event
from application.message_bus import MessageBus
from application.ports.providers import WeatherProvider
from application.refresh.pipeline import RefreshPipeline
from domain.alerts import Alert, AlertRule
from domain.locations import Location
from domain.observations import Observation
from tests.support.builders import NOW
from tests.support.fakes.clock import FakeClock
from tests.support.fakes.notifier import RecordingNotifier
from tests.support.fakes.providers import FakeGeocoder, FakeHistoryProvider, FakeWeatherProvider
from tests.support.fakes.task_queue import FakeTaskQueue
from tests.support.fakes.unit_of_work import InMemoryStore, InMemoryUnitOfWork


@attrs.define
class Core:
    """Every port faked, the unit of work wired by the core's bootstrap, and a log of every
    event its unit of work published."""

    store: InMemoryStore
    uow: InMemoryUnitOfWork
    clock: FakeClock
    provider: FakeWeatherProvider
    fallback: FakeWeatherProvider
    geocoder: FakeGeocoder
    history: FakeHistoryProvider
    tasks: FakeTaskQueue
    notifier: RecordingNotifier
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

    def add_alerts(self, *alerts: Alert) -> None:
        """Store alerts (committed), as if raised earlier."""
        with self.uow as uow:
            uow.alerts.add_alerts(alerts)
            uow.commit()

    def add_observations(self, *readings: Observation) -> None:
        with self.uow as uow:
            uow.observations.add_many(readings)
            uow.commit()

    def published(self, event_type: type[Event]) -> list[Event]:
        return [event for event in self.events if isinstance(event, event_type)]


def a_core(*, batch_size: int = 50) -> Core:
    store = InMemoryStore()
    clock = FakeClock(NOW)
    tasks = FakeTaskQueue()
    bus = MessageBus()
    events: list[Event] = []
    for event_type in Event.__subclasses__():
        bus.subscribe(event_type, events.append)
    uow = bootstrap_unit_of_work(
        functools.partial(InMemoryUnitOfWork, store), clock=clock, tasks=tasks, bus=bus
    )
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
        events=events,
    )
