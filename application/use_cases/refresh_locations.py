"""Refresh one provider-sized batch of locations (what each sub-task of a fanned-out refresh-all
runs): one fetch through the provider chain, one unit of work to store the answer."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

import attrs

from application.message_bus import MessageBus
from application.ports.providers import WeatherProvider
from application.ports.unit_of_work import UnitOfWork
from application.weather_refresh import ProviderChain, WeatherRefresher


def _ids(values: Iterable[uuid.UUID]) -> tuple[uuid.UUID, ...]:
    return tuple(values)


@attrs.frozen
class RefreshLocationsCommand:
    location_ids: tuple[uuid.UUID, ...] = attrs.field(converter=_ids)


@attrs.frozen(kw_only=True)
class RefreshLocationsResult:
    provider: str | None
    """The provider that answered; `None` when none of the locations exists any more."""
    location_ids: tuple[uuid.UUID, ...]
    """The locations refreshed: those asked for that still exist, in the order asked."""
    observations_stored: int


class RefreshLocations:
    """Locations deleted since the batch was planned are skipped, not an error: a refresh-all
    plans its batches before it runs them. When every provider fails it raises
    `AllProvidersUnavailable` and stores nothing."""

    def __init__(
        self, uow: UnitOfWork, providers: Sequence[WeatherProvider], bus: MessageBus
    ) -> None:
        self._uow = uow
        self._refresher = WeatherRefresher(uow, ProviderChain(providers), bus)

    def execute(self, command: RefreshLocationsCommand) -> RefreshLocationsResult:
        with self._uow as uow:
            found = uow.locations.get_many(command.location_ids)
        locations = [found[key] for key in command.location_ids if key in found]
        if not locations:
            return RefreshLocationsResult(provider=None, location_ids=(), observations_stored=0)
        outcome = self._refresher.refresh(locations)
        return RefreshLocationsResult(
            provider=outcome.provider,
            location_ids=outcome.location_ids,
            observations_stored=outcome.observations_stored,
        )
