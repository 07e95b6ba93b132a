"""Cut every tracked location into batches sized for the preferred provider: the plan a fanned-out
refresh-all runs, one batch per worker task (each then runs `RefreshLocations`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import attrs

from application.ports.providers import WeatherProvider
from application.ports.unit_of_work import UnitOfWork
from application.weather_refresh import ProviderChain, batches


@attrs.frozen
class PlanRefreshQuery:
    """No parameters: the plan covers every location stored when it is made."""


@attrs.frozen
class RefreshPlan:
    batches: tuple[tuple[uuid.UUID, ...], ...]


class PlanRefresh:
    def __init__(self, uow: UnitOfWork, providers: Sequence[WeatherProvider]) -> None:
        self._uow = uow
        self._batch_size = ProviderChain(providers).batch_size

    def execute(self, query: PlanRefreshQuery) -> RefreshPlan:
        with self._uow as uow:
            location_ids = [location.id for location in uow.locations.all()]
        return RefreshPlan(
            batches=tuple(tuple(batch) for batch in batches(location_ids, self._batch_size))
        )
