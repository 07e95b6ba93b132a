"""Read the latest reading of a location."""

from __future__ import annotations

import uuid

import attrs

from application.lookups import require_location
from application.ports.unit_of_work import UnitOfWork
from application.results.weather import CurrentWeatherResult, ObservationResult
from domain.errors import NotFound
from domain.units import UnitSystem


@attrs.frozen(kw_only=True)
class GetCurrentWeatherQuery:
    location_id: uuid.UUID
    units: UnitSystem = UnitSystem.METRIC


class GetCurrentWeather:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def execute(self, query: GetCurrentWeatherQuery) -> CurrentWeatherResult:
        """Raises `NotFound` for an unknown location and for one never fetched yet."""
        with self._uow as uow:
            require_location(uow, query.location_id)
            latest = uow.observations.latest(query.location_id)
        if latest is None:
            raise NotFound("Current weather of location {id} was not found.", id=query.location_id)
        return CurrentWeatherResult(
            reading=ObservationResult.from_domain(latest, query.units),
            units=query.units.labels,
        )
