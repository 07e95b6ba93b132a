"""DRF's rate throttles, counting in one cache counter per client and window.

DRF's own throttles keep the timestamp of every request of the last period in one cache entry,
read, unpickled and rewritten whole on every request: at 1,000 requests a minute that list was
the largest single cost of a cached read, and on a shared cache (Redis) two processes rewriting
it at once lose each other's requests. Here each request is one atomic increment of a counter
that expires with its window, so the cost does not grow with the rate and concurrent processes
count correctly. The price of fixed windows: across a window's edge a client can fit up to twice
the rate into one period.

Anonymous clients are held to the `anon` rate by address, authenticated users to the `user`
rate by account (CONTRACT.md §3); each request is counted against exactly one of them. Failed
logins have a rate of their own, per username and per address (`LoginFailureThrottle`).

The counters are in Django's cache: shared by every process when `CACHE_URL` is a Redis, kept by
each process alone with the default memory cache (then two gunicorn workers allow twice the rate).
"""

from __future__ import annotations

import contextlib
import hashlib
import unicodedata
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
        window = self._window(self.duration)
        return self._count(f"{self.key}:{window}", self.duration) <= self.num_requests

    def _window(self, duration: int) -> int:
        """The number of the window now falls in (its counters' suffix); notes when it ends."""
        self.now = self.timer()
        window = int(self.now // duration)
        self.window_ends = (window + 1) * duration
        return window

    def _count(self, key: str, duration: int) -> int:
        """This request's number in the window: one increment, unless it opens the window."""
        try:
            return int(self.cache.incr(key))
        except ValueError:  # no counter yet: open the window, unless a concurrent request did
            if self.cache.add(key, 1, duration + 1):
                return 1
            return int(self.cache.incr(key))

    def _uncount(self, key: str) -> None:
        """Takes back one `_count` of the window's counter (gone with its window: nothing to do)."""
        with contextlib.suppress(ValueError):
            self.cache.decr(key)

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


class LoginFailureThrottle(CountingRateThrottle):
    """Failed logins at `API_THROTTLE_LOGIN_FAILURES`, per username and per client address.

    Not one of a view's throttles, which count every request before the view runs: the token
    controller asks it around the password check, because successful logins do not count.
    `allow_attempt` counts the attempt as a failure in advance, on both counters, unless either
    is past the limit; `forget_attempt` takes that back once the password proved right. Counting
    before the check rather than after a failure is what holds against parallel guesses: hashing
    a password takes a while, and guesses sent at once would all pass a check made before any
    of them had failed. A refused attempt checks no password and counts nothing, so that an
    address past its limit cannot lock out usernames, nor a username past its limit addresses.

    The address is the one DRF's throttles use (`get_ident`, `NUM_PROXIES`). The username is
    normalised (NFKC, case-folded, stripped), so that "Alice" and "alice " are one, and hashed,
    so that a long or odd one cannot make an invalid cache key. Unknown usernames are counted and
    locked out exactly like existing ones, and a refusal comes before any look-up of the account:
    a lock-out tells nobody whether a username exists.
    """

    scope = "login_failures"

    def __init__(self) -> None:
        super().__init__()
        self._counted: list[str] = []

    def allow_attempt(self, request: Request, username: str) -> bool:
        """Whether this login may check its password (if so, it is counted as failing)."""
        if self.num_requests is None or self.duration is None:
            return True
        window = self._window(self.duration)
        counters = [
            f"{self._key('username', normalised_username(username))}:{window}",
            f"{self._key('address', self.get_ident(request) or '')}:{window}",
        ]
        counts = [self._count(counter, self.duration) for counter in counters]
        self._counted = counters
        if all(count <= self.num_requests for count in counts):
            return True
        self.forget_attempt()
        return False

    def forget_attempt(self) -> None:
        """The attempt did not fail (or checked no password): it counts against nothing."""
        for counter in self._counted:
            self._uncount(counter)
        self._counted = []

    def _key(self, kind: str, ident: str) -> str:
        digest = hashlib.sha256(ident.encode()).hexdigest()
        return self.cache_format % {"scope": f"{self.scope}_{kind}", "ident": digest}


def normalised_username(username: str) -> str:
    """The form under which a username's failed logins are counted."""
    return unicodedata.normalize("NFKC", username).casefold().strip()
