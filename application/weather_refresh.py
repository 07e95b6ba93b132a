"""Refreshing weather: provider fallback, then an all-or-nothing store of what was fetched.

The network calls happen outside the unit of work (a slow provider must not hold a database
transaction open); storing happens inside one, so a batch is stored completely or not at all.
Events go out only after the commit.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence
from typing import TypeVar

import attrs

from application.events import Event, ObservationStored, WeatherRefreshed
from application.message_bus import MessageBus
from application.ports.providers import WeatherProvider, WeatherReport
from application.ports.unit_of_work import UnitOfWork
from domain.errors import AllProvidersUnavailable, ProviderUnavailable
from domain.locations import Location

logger = logging.getLogger(__name__)

T = TypeVar("T")


def batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """`items` cut into consecutive slices of at most `size`."""
    for start in range(0, len(items), max(size, 1)):
        yield items[start : start + size]


class ProviderChain:
    """The weather providers in order of preference; the first that answers wins."""

    def __init__(self, providers: Sequence[WeatherProvider]) -> None:
        if not providers:
            raise ValueError("A provider chain needs at least one weather provider.")
        self._providers = tuple(providers)

    @property
    def batch_size(self) -> int:
        """Locations per batch, sized for the preferred provider (fallbacks re-cut if smaller)."""
        return self._providers[0].max_batch_size

    def fetch(self, locations: Sequence[Location]) -> tuple[str, list[WeatherReport]]:
        """The name of the provider that answered, and one report per location in order.

        Raises `AllProvidersUnavailable`, listing every provider's reason, when none answers.
        """
        failures: list[ProviderUnavailable] = []
        for provider in self._providers:
            try:
                return provider.name, self._fetch_from(provider, locations)
            except ProviderUnavailable as failure:
                logger.warning("Weather provider %s failed: %s", provider.name, failure.reason)
                failures.append(failure)
        raise AllProvidersUnavailable(failures)

    @staticmethod
    def _fetch_from(
        provider: WeatherProvider, locations: Sequence[Location]
    ) -> list[WeatherReport]:
        reports: list[WeatherReport] = []
        for batch in batches(locations, provider.max_batch_size):
            answer = list(provider.fetch(batch))
            if [report.location_id for report in answer] != [location.id for location in batch]:
                raise ProviderUnavailable(provider.name, "answered for other locations than asked")
            reports.extend(answer)
        return reports


@attrs.frozen(kw_only=True)
class BatchOutcome:
    provider: str
    location_ids: tuple[uuid.UUID, ...]
    observations_stored: int


class WeatherRefresher:
    """Fetches a batch of locations through the chain and stores the answer atomically."""

    def __init__(self, uow: UnitOfWork, chain: ProviderChain, bus: MessageBus) -> None:
        self._uow = uow
        self._chain = chain
        self._bus = bus

    @property
    def batch_size(self) -> int:
        return self._chain.batch_size

    def refresh(self, locations: Sequence[Location]) -> BatchOutcome:
        return self.store(*self.fetch(locations))

    def fetch(self, locations: Sequence[Location]) -> tuple[str, list[WeatherReport]]:
        """Ask the providers (no transaction is open meanwhile): which one answered, and what."""
        return self._chain.fetch(locations)

    def store(self, provider: str, reports: Sequence[WeatherReport]) -> BatchOutcome:
        """Store one fetched batch all-or-nothing, then publish what happened."""
        with self._uow as uow:
            # A location deleted while the provider was answering keeps nothing.
            present = uow.locations.get_many([report.location_id for report in reports])
            kept = [report for report in reports if report.location_id in present]
            stored, count = _store(uow, kept)
            refreshed = [report.location_id for report in kept]
            uow.commit()
        events: list[Event] = [*stored]
        if refreshed:
            events.append(WeatherRefreshed(location_ids=tuple(refreshed), provider=provider))
        self._bus.publish(*events)
        return BatchOutcome(
            provider=provider, location_ids=tuple(refreshed), observations_stored=count
        )


def _store(
    uow: UnitOfWork, reports: Sequence[WeatherReport]
) -> tuple[list[ObservationStored], int]:
    """Store a batch of reports in a fixed number of round trips; a reading that repeats the
    stored one is not news and is skipped. The count is the storage's: a reading that a
    concurrent refresh stored first is not counted twice."""
    currents = [report.current for report in reports if report.current is not None]
    known = uow.observations.get_many([reading.key for reading in currents])
    news = [reading for reading in currents if reading.is_news_against(known.get(reading.key))]
    count = uow.observations.add_many(news)
    uow.forecasts.save_many(
        hourly=[report.hourly for report in reports if report.hourly is not None],
        daily=[report.daily for report in reports if report.daily is not None],
    )
    return [ObservationStored(reading) for reading in news], count
