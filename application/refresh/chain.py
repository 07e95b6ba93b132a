"""`ProviderChain`: the weather providers in order of preference, and the size of a batch.

Batching is decided here, once: a call to a provider holds at most that provider's own
`max_batch_size` locations. A refresh plans its batches for the preferred provider
(`batches`); a fallback that takes fewer cuts the batch again when it has to answer for it.
Providers do not cut what they are given.

Budgets are asked here too: before a provider is called for a batch, its `RateBudget` counts
the batch's locations. A provider whose budget is spent is passed over like one that failed,
but when no provider answered and one of them was only deferred, the batch is deferred
(`RefreshDeferred`: try again later), not failed.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TypeVar

from application.ports.providers import WeatherProvider, WeatherReport
from application.ports.rate_budget import Deferred, RateBudget, RefreshDeferred, Unlimited
from domain.errors import AllProvidersUnavailable, ProviderUnavailable
from domain.locations import Location

logger = logging.getLogger(__name__)

T = TypeVar("T")


def _cut(items: Sequence[T], size: int) -> list[tuple[T, ...]]:
    """`items` in consecutive slices of at most `size`."""
    step = max(size, 1)
    return [tuple(items[start : start + step]) for start in range(0, len(items), step)]


class ProviderChain:
    """The first provider that answers wins; all failing raises `AllProvidersUnavailable`."""

    def __init__(
        self, providers: Sequence[WeatherProvider], budget: RateBudget | None = None
    ) -> None:
        if not providers:
            raise ValueError("A provider chain needs at least one weather provider.")
        self._providers = tuple(providers)
        self._budget = budget if budget is not None else Unlimited()

    @property
    def batch_size(self) -> int:
        """Locations per batch: what the preferred provider takes in one call."""
        return self._providers[0].max_batch_size

    def batches(self, locations: Sequence[Location]) -> list[tuple[Location, ...]]:
        """`locations` cut into batches of `batch_size`, in order."""
        return _cut(locations, self.batch_size)

    def fetch(self, locations: Sequence[Location]) -> tuple[str, list[WeatherReport]]:
        """The name of the provider that answered, and one report per location in order.

        Raises `AllProvidersUnavailable`, listing every provider's reason, when none answers;
        `RefreshDeferred` when none answered and a provider's budget was spent (later, it may).
        """
        failures: list[ProviderUnavailable] = []
        deferrals: list[Deferred] = []
        for provider in self._providers:
            reservation = self._budget.reserve(provider.name, len(locations))
            if isinstance(reservation, Deferred):
                logger.info(
                    "Weather provider %s not called for %d locations: its budget %s is spent "
                    "(again in %.0f s)",
                    provider.name,
                    len(locations),
                    reservation.limit,
                    reservation.retry_after_seconds,
                )
                deferrals.append(reservation)
                continue
            try:
                return provider.name, self._fetch_from(provider, locations)
            except ProviderUnavailable as failure:
                logger.warning("Weather provider %s failed: %s", provider.name, failure.reason)
                failures.append(failure)
        if deferrals:
            raise RefreshDeferred(deferrals)
        raise AllProvidersUnavailable(failures)

    @staticmethod
    def _fetch_from(
        provider: WeatherProvider, locations: Sequence[Location]
    ) -> list[WeatherReport]:
        reports: list[WeatherReport] = []
        for part in _cut(locations, provider.max_batch_size):
            answer = list(provider.fetch(part))
            if [report.location_id for report in answer] != [location.id for location in part]:
                raise ProviderUnavailable(provider.name, "answered for other locations than asked")
            reports.extend(answer)
        return reports
