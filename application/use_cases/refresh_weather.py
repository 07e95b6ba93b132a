"""Fetch and store the current weather and forecasts of one location (what a refresh task runs)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import attrs

from application.lookups import require_location
from application.message_bus import MessageBus
from application.ports.providers import WeatherProvider
from application.ports.unit_of_work import UnitOfWork
from application.weather_refresh import ProviderChain, WeatherRefresher


@attrs.frozen
class RefreshWeatherCommand:
    location_id: uuid.UUID


@attrs.frozen(kw_only=True)
class RefreshWeatherResult:
    location_id: uuid.UUID
    provider: str
    observations_stored: int


class RefreshWeather:
    """Tries each provider in order; when all fail, raises `AllProvidersUnavailable` and the
    location keeps the data it had."""

    def __init__(
        self, uow: UnitOfWork, providers: Sequence[WeatherProvider], bus: MessageBus
    ) -> None:
        self._uow = uow
        self._refresher = WeatherRefresher(uow, ProviderChain(providers), bus)

    def execute(self, command: RefreshWeatherCommand) -> RefreshWeatherResult:
        with self._uow as uow:
            location = require_location(uow, command.location_id)
        outcome = self._refresher.refresh([location])
        return RefreshWeatherResult(
            location_id=location.id,
            provider=outcome.provider,
            observations_stored=outcome.observations_stored,
        )
