"""`RefreshPipeline`: the steps of every refresh — plan, fetch, store — and `summarize`.

- plan: the locations to refresh, in batches the provider chain sizes (`plan_all`, `plan_one`);
- fetch: the provider chain asked for one batch, outside any transaction (a slow provider must
  not hold one open); no provider answering raises `AllProvidersUnavailable` and changes nothing;
  a provider whose call budget is spent is not called, and when no other answered the fetch
  raises `RefreshDeferred` (the driver tries the batch again later: a retried task, a wait);
- store: one batch in one unit of work, all or nothing, in a fixed number of round trips whatever
  its size; the step records the batch's events in that unit of work (one `ObservationsStored`,
  one `ForecastsReplaced`, one `WeatherRefreshed`), which hands them to the bus after its commit:
  the batch's alert rules are then evaluated at once (`EvaluateAlertRules`).

The store step reads the batch's locations once, to keep only those still stored as they were
fetched: a location deleted, moved or given another time zone or elevation while the providers
answered keeps nothing from that answer (its next refresh asks for the right place).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

import attrs

from application.events import ForecastsReplaced, ObservationsStored, WeatherRefreshed
from application.lookups import require_location
from application.ports.providers import WeatherProvider, WeatherReport
from application.ports.rate_budget import RateBudget
from application.ports.unit_of_work import UnitOfWork
from application.refresh.chain import ProviderChain
from application.refresh.plan import Batch, RefreshPlan
from application.refresh.results import (
    BatchFailed,
    BatchOutcome,
    BatchRefreshed,
    RefreshSummary,
)
from domain.errors import AllProvidersUnavailable, ProviderUnavailable
from domain.locations import Location


@attrs.frozen(kw_only=True)
class Fetched:
    """A batch as a provider answered for it: one report per location, in the batch's order."""

    batch: Batch
    provider: str
    reports: tuple[WeatherReport, ...]


class RefreshPipeline:
    def __init__(
        self,
        uow: UnitOfWork,
        providers: Sequence[WeatherProvider],
        budget: RateBudget | None = None,
    ) -> None:
        self._uow = uow
        self._chain = ProviderChain(providers, budget)

    def plan_all(self) -> RefreshPlan:
        """Every location stored now, in batches of the preferred provider's size."""
        with self._uow as uow:
            locations = uow.locations.all()
        return RefreshPlan(tuple(Batch(batch) for batch in self._chain.batches(locations)))

    def plan_one(self, location_id: uuid.UUID) -> Batch:
        """A batch of one location; `NotFound` before any provider is asked."""
        with self._uow as uow:
            location = require_location(uow, location_id)
        return Batch((location,))

    def fetch(self, batch: Batch) -> Fetched:
        provider, reports = self._chain.fetch(batch.locations)
        return Fetched(batch=batch, provider=provider, reports=tuple(reports))

    def store(self, fetched: Fetched) -> BatchRefreshed:
        with self._uow as uow:
            stored = uow.locations.get_many(fetched.batch.location_ids)
            kept = [
                report
                for location, report in zip(fetched.batch.locations, fetched.reports, strict=True)
                if _unchanged(location, stored.get(location.id))
            ]
            count = _store(uow, fetched.provider, kept)
            uow.commit()
        return BatchRefreshed(
            provider=fetched.provider,
            location_ids=tuple(report.location_id for report in kept),
            observations_stored=count,
        )

    def refresh(self, batch: Batch) -> BatchOutcome:
        """Fetch, then store; a batch no provider could serve is `BatchFailed`."""
        try:
            fetched = self.fetch(batch)
        except ProviderUnavailable as failure:
            return BatchFailed(location_ids=batch.location_ids, failure=failure)
        return self.store(fetched)


def summarize(outcomes: Sequence[BatchOutcome]) -> RefreshSummary:
    """The refresh-all's result from its batches' outcomes, in batch order.

    Raises `AllProvidersUnavailable` when there were batches and none of them could be served:
    then the refresh as a whole failed (a refresh-all with nothing to refresh did not)."""
    failures = [outcome.failure for outcome in outcomes if isinstance(outcome, BatchFailed)]
    if outcomes and len(failures) == len(outcomes):
        distinct = {str(failure): failure for failure in failures}  # ten batches, one outage
        raise AllProvidersUnavailable(list(distinct.values()))
    return RefreshSummary.of(outcomes)


def _unchanged(fetched_for: Location, stored: Location | None) -> bool:
    """Whether the answer fetched for `fetched_for` is still about the stored location."""
    return stored is not None and (
        stored.coordinates,
        stored.timezone,
        stored.elevation,
    ) == (fetched_for.coordinates, fetched_for.timezone, fetched_for.elevation)


def _store(uow: UnitOfWork, provider: str, reports: Sequence[WeatherReport]) -> int:
    """Store the reports and record what that changed; how many readings were news to the
    storage. A reading that repeats the stored one is not news and is skipped."""
    if not reports:
        return 0
    currents = [report.current for report in reports if report.current is not None]
    known = uow.observations.get_many([reading.key for reading in currents])
    news = [reading for reading in currents if reading.is_news_against(known.get(reading.key))]
    count = uow.observations.add_many(news)
    hourly = [report.hourly for report in reports if report.hourly is not None]
    daily = [report.daily for report in reports if report.daily is not None]
    uow.forecasts.save_many(hourly=hourly, daily=daily)
    if news:
        uow.record(
            ObservationsStored(
                location_ids=_distinct(reading.location_id for reading in news),
                count=count,
                observations=tuple(news),
            )
        )
    replaced = _distinct(
        [forecast.location_id for forecast in hourly] + [forecast.location_id for forecast in daily]
    )
    if replaced:
        uow.record(ForecastsReplaced(location_ids=replaced, provider=provider))
    uow.record(
        WeatherRefreshed(
            location_ids=tuple(report.location_id for report in reports), provider=provider
        )
    )
    return count


def _distinct(ids: Iterable[uuid.UUID]) -> tuple[uuid.UUID, ...]:
    return tuple(dict.fromkeys(ids))
