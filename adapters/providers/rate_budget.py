"""`CacheRateBudget`: the `RateBudget` port over Django's cache, counted in fixed windows (the
minute, the hour and the UTC day), as Open-Meteo counts its free tier.

Each provider has its `ProviderLimits`: calls per minute, hour and day (0 for no limit) and what
one location of a call costs (`calls_per_location`: Open-Meteo counts a request of 28 variables
over 16 days as 3.2 calls a location). A reservation adds its cost to the counter of each
window, all or nothing: when one counter would go past its limit, what was added is taken back
and the answer is `Deferred` until that window ends. Counters are integers in hundredths of a
call (Redis' ``INCRBY`` is atomic, which makes the budget safe between processes), kept a
little longer than their window.

Shared by every process when the cache is (``CACHE_URL`` a Redis): every worker then spends one
budget, as the provider sees one address. On the default per-process memory cache each process
counts alone (the same caveat as the API's throttles): set ``CACHE_URL`` in any deployment with
more than one worker process. Fixed windows, as the provider's own: a burst at the end of one
window and the start of the next stays within both of its limits.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from typing import Final

from django.core.cache.backends.base import BaseCache
from prometheus_client import Counter

from application.ports.clock import Clock
from application.ports.rate_budget import Deferred, Granted, ProviderLimits, Reservation

logger = logging.getLogger(__name__)

DEFERRED_CALLS = Counter(
    "weather_provider_calls_deferred_total",
    "Provider calls not made because the provider's call budget was spent, by provider and limit.",
    ["provider", "limit"],
)

_HUNDREDTHS: Final = 100
_GRACE_SECONDS: Final = 60
"""A counter outlives its window by this much, so a clock a little behind still finds it."""


class CacheRateBudget:
    def __init__(
        self,
        *,
        cache: Callable[[], BaseCache],
        limits: Mapping[str, ProviderLimits],
        clock: Clock,
        key_prefix: str = "rate-budget",
    ) -> None:
        """`cache` gives the current thread's connection (Django's caches are per thread)."""
        self._cache = cache
        self._limits = dict(limits)
        self._clock = clock
        self._prefix = key_prefix

    def reserve(self, provider: str, locations: int) -> Reservation:
        limits = self._limits.get(provider)
        if limits is None or not limits.windows() or locations <= 0:
            return Granted()
        cost = math.ceil(round(locations * limits.calls_per_location * _HUNDREDTHS, 6))
        cache = self._cache()
        now = self._clock.now().timestamp()
        counted: list[str] = []
        for label, seconds, limit in limits.windows():
            window = int(now // seconds)
            key = f"{self._prefix}:{provider}:{seconds}:{window}"
            total = _add(cache, key, cost, seconds + _GRACE_SECONDS)
            counted.append(key)
            if total <= limit * _HUNDREDTHS:
                continue
            if total == cost:  # alone, the call is more than the whole limit: one per window
                logger.warning(
                    "A call of %s for %d locations costs %.2f calls, more than its limit of "
                    "%d %s: made alone in its window; ask for fewer locations a call",
                    provider,
                    locations,
                    cost / _HUNDREDTHS,
                    limit,
                    label,
                )
                continue
            for taken in counted:
                cache.decr(taken, cost)
            retry_after = (window + 1) * seconds - now
            DEFERRED_CALLS.labels(provider=provider, limit=label).inc()
            logger.info(
                "Call of %s for %d locations deferred: %d calls %s spent, again in %.0f s",
                provider,
                locations,
                limit,
                label,
                retry_after,
                extra={"provider": provider, "locations": locations, "limit": label},
            )
            return Deferred(provider=provider, limit=label, retry_after_seconds=retry_after)
        return Granted()


def _add(cache: BaseCache, key: str, amount: int, timeout: int) -> int:
    """The counter at `key` after adding `amount`; a missing counter starts at 0."""
    for _ in range(3):
        cache.add(key, 0, timeout=timeout)
        try:
            return int(cache.incr(key, amount))
        except ValueError:  # expired between the two calls: start it again
            continue
    raise RuntimeError(f"could not count on the cache key {key!r}")
