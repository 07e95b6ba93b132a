"""DRF's rate throttles, counting in one cache counter per client and window.

DRF's own throttles keep the timestamp of every request of the last period in one cache entry,
read, unpickled and rewritten whole on every request: at 1,000 requests a minute that list was
the largest single cost of a cached read, and on a shared cache (Redis) two processes rewriting
it at once lose each other's requests. Here each request is one atomic increment of a counter
that expires with its window, so the cost does not grow with the rate and concurrent processes
count correctly. The price of fixed windows: across a window's edge a client can fit up to twice
the rate into one period.

Anonymous clients are held to the `anon` rate by address, authenticated users to the `user`
rate by account (CONTRACT.md §3); each request is counted against exactly one of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

if TYPE_CHECKING:  # DRF imports this module while it loads its views
    from rest_framework.views import APIView


class CountingRateThrottle(SimpleRateThrottle):
    """`SimpleRateThrottle` with a fixed-window counter in place of the request history."""

    # Set by DRF's constructor from the rate (the type stubs leave them out).
    num_requests: int | None
    duration: int | None
    window_ends: float

    def allow_request(self, request: Request, view: APIView) -> bool:
        if self.rate is None or self.num_requests is None or self.duration is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        return self._count(f"{self.key}:{window}", self.duration) <= self.num_requests

    def _count(self, key: str, duration: int) -> int:
        """This request's number in the window: one increment, unless it opens the window."""
        try:
            return int(self.cache.incr(key))
        except ValueError:  # no counter yet: open the window, unless a concurrent request did
            if self.cache.add(key, 1, duration + 1):
                return 1
            return int(self.cache.incr(key))

    def wait(self) -> float:
        """Seconds until the window closes and the allowance starts again."""
        return max(self.window_ends - self.now, 1.0)


class AnonymousRateThrottle(CountingRateThrottle, AnonRateThrottle):
    """Anonymous requests, by client address, at `API_THROTTLE_ANON`."""


class AuthenticatedRateThrottle(CountingRateThrottle, UserRateThrottle):
    """Authenticated requests, by account, at `API_THROTTLE_USER`."""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None  # anonymous requests are the anonymous throttle's
        return super().get_cache_key(request, view)
