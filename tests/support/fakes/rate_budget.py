"""A rate budget in a dict, counted as the cache-backed one counts: fixed windows of the
minute, the hour and the UTC day, by the clock it is given (the contract suite holds the two
together: ``tests/integration/providers/test_rate_budget_contract.py``)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from application.ports.clock import Clock
from application.ports.rate_budget import Deferred, Granted, ProviderLimits, Reservation


class InMemoryRateBudget:
    def __init__(self, *, limits: Mapping[str, ProviderLimits], clock: Clock) -> None:
        self._limits = dict(limits)
        self._clock = clock
        self._spent: dict[tuple[str, int, int], float] = {}
        self.asked: list[tuple[str, int]] = []

    def reserve(self, provider: str, locations: int) -> Reservation:
        self.asked.append((provider, locations))
        limits = self._limits.get(provider)
        if limits is None or locations <= 0:
            return Granted()
        cost = math.ceil(round(locations * limits.calls_per_location * 100, 6)) / 100
        now = self._clock.now().timestamp()
        keys = [(label, seconds, limit, (provider, seconds, int(now // seconds)))
                for label, seconds, limit in limits.windows()]  # fmt: skip
        for label, seconds, limit, key in keys:
            spent = self._spent.get(key, 0.0)
            if spent + cost > limit and spent > 0:
                window = key[2]
                return Deferred(
                    provider=provider, limit=label, retry_after_seconds=(window + 1) * seconds - now
                )
        for _label, _seconds, _limit, key in keys:
            self._spent[key] = self._spent.get(key, 0.0) + cost
        return Granted()
