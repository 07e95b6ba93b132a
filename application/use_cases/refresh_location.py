"""Refresh the current weather and forecasts of one location (``weather.refresh_location``,
``refresh_weather --location``): the pipeline's plan, fetch and store for a batch of one."""

from __future__ import annotations

import uuid

import attrs

from application.refresh.pipeline import RefreshPipeline
from application.refresh.results import LocationRefreshed


@attrs.frozen
class RefreshLocationCommand:
    location_id: uuid.UUID


class RefreshLocation:
    """`NotFound` for an unknown location, before any provider is asked; when every provider
    fails, `AllProvidersUnavailable`, and the location keeps the data it had. A location
    deleted while the providers answered keeps nothing (0 readings stored)."""

    def __init__(self, pipeline: RefreshPipeline) -> None:
        self._pipeline = pipeline

    def execute(self, command: RefreshLocationCommand) -> LocationRefreshed:
        batch = self._pipeline.plan_one(command.location_id)
        stored = self._pipeline.store(self._pipeline.fetch(batch))
        return LocationRefreshed(
            location_id=command.location_id,
            provider=stored.provider,
            observations_stored=stored.observations_stored,
        )
