"""Refresh every tracked location, in batches sized for the preferred provider."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import attrs

from application.message_bus import MessageBus
from application.ports.providers import WeatherProvider
from application.ports.unit_of_work import UnitOfWork
from application.weather_refresh import ProviderChain, WeatherRefresher, batches
from domain.errors import AllProvidersUnavailable, ProviderUnavailable


@attrs.frozen
class RefreshAllLocationsCommand:
    """No parameters: "all" means every location stored when the refresh starts."""


@attrs.frozen(kw_only=True)
class RefreshAllLocationsResult:
    locations_refreshed: int
    observations_stored: int
    batches: int
    providers: tuple[str, ...]
    """The provider that answered each successful batch, in batch order."""
    failed_location_ids: tuple[uuid.UUID, ...]


class RefreshAllLocations:
    """Each batch is its own unit of work: a batch no provider could serve is reported in
    `failed_location_ids` while the others are stored. Only when every batch fails does it raise
    `AllProvidersUnavailable`."""

    def __init__(
        self, uow: UnitOfWork, providers: Sequence[WeatherProvider], bus: MessageBus
    ) -> None:
        self._uow = uow
        self._refresher = WeatherRefresher(uow, ProviderChain(providers), bus)

    def execute(self, command: RefreshAllLocationsCommand) -> RefreshAllLocationsResult:
        with self._uow as uow:
            locations = list(uow.locations.all())
        refreshed = stored = 0
        providers: list[str] = []
        failed: list[uuid.UUID] = []
        failures: list[ProviderUnavailable] = []
        all_batches = list(batches(locations, self._refresher.batch_size))
        # Fetch the next batch while this one is stored: the provider's latency and the
        # database's overlap instead of adding up. One fetch ahead, in one helper thread.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="refresh-fetch") as fetcher:
            answers = [fetcher.submit(self._refresher.fetch, all_batches[0])] if all_batches else []
            for index, batch in enumerate(all_batches):
                if index + 1 < len(all_batches):
                    answers.append(fetcher.submit(self._refresher.fetch, all_batches[index + 1]))
                try:
                    outcome = self._refresher.store(*answers[index].result())
                except ProviderUnavailable as failure:
                    failures.append(failure)
                    failed.extend(location.id for location in batch)
                    continue
                refreshed += len(outcome.location_ids)
                stored += outcome.observations_stored
                providers.append(outcome.provider)
        if all_batches and len(failures) == len(all_batches):
            raise AllProvidersUnavailable(failures)
        return RefreshAllLocationsResult(
            locations_refreshed=refreshed,
            observations_stored=stored,
            batches=len(all_batches),
            providers=tuple(providers),
            failed_location_ids=tuple(failed),
        )
