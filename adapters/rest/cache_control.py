"""What a shared cache (a reverse proxy, a CDN) may keep of the API's answers, and for how long.

Public reads (locations, current weather, forecasts, history, daily summaries) are the same for
every caller: no field depends on who asks (`tests/api/test_cache_control.py` holds them to it).
They say ``public, max-age=N, stale-while-revalidate=M``, N being how long until the data can
next change:

- current weather: until the next refresh is due (the reading's `fetched_at` plus
  ``WEATHER_REFRESH_INTERVAL_MINUTES``); a few seconds once it is overdue;
- forecasts: the same, or sooner when the answer's window moves on by itself (the next hour for
  the hourly one, the location's next midnight for the daily one);
- history and daily summaries of the past: an hour (only a backfill can still add to them);
  reaching into the present: a minute;
- a location, the list of locations: a minute, half a minute (anyone may change them at any time).

The language is chosen from `Accept-Language` or Django's language cookie, and a token or a
session could make an answer a 401: so public answers vary on ``Accept-Language``,
``Authorization`` and ``Cookie``. A request carrying either of the last two gets the same body
marked ``private``: the caller's own cache may keep it, a shared one keeps nothing that came with
credentials (``docs/decisions/0023-…``).

Everything else under ``/api/`` (tokens, alert rules, alerts, tasks, refresh requests, errors of
any kind) says ``no-store``, set by `api_cache_control_middleware` when a controller has said
nothing; an error replaces whatever the controller said.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import attrs
from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_vary_headers
from django.utils.decorators import sync_and_async_middleware

from adapters.rest.problems import API_PREFIX

R = TypeVar("R", bound=HttpResponseBase)

NO_STORE = "no-store"
#: What a public answer depends on besides its URL (CORS adds `Origin` where it applies).
PUBLIC_VARY = ("Accept-Language", "Authorization", "Cookie")

#: An overdue refresh: the data may change any moment, but a burst of readers is still absorbed.
OVERDUE_SECONDS = 5
#: Data that a refresh changes (history and summaries up to now): at most this long.
PRESENT_SECONDS = 60
#: How long a stale live answer may be served while the cache asks again in the background.
LIVE_STALE_SECONDS = 60
#: Ranges that ended this long before now: no refresh adds to them, only a backfill can.
PAST_MARGIN = timedelta(hours=1)
PAST_SECONDS = 3600
PAST_STALE_SECONDS = 86_400
LOCATION_SECONDS = 60
LIST_SECONDS = 30


@attrs.frozen
class Freshness:
    """How long a shared cache may serve an answer, and then serve it stale while it revalidates."""

    max_age: int
    stale_while_revalidate: int

    def public(self) -> str:
        return (
            f"public, max-age={self.max_age}, stale-while-revalidate={self.stale_while_revalidate}"
        )

    def private(self) -> str:
        return f"private, max-age={self.max_age}"


LIST = Freshness(LIST_SECONDS, LIST_SECONDS)
LOCATION = Freshness(LOCATION_SECONDS, LOCATION_SECONDS)
PAST = Freshness(PAST_SECONDS, PAST_STALE_SECONDS)


def refresh_interval() -> timedelta:
    return timedelta(minutes=settings.WEATHER_REFRESH_INTERVAL_MINUTES)


def until(change: datetime, now: datetime) -> Freshness:
    """Fresh until `change` (the next refresh due, or a window that moves), never longer than one
    refresh interval, `OVERDUE_SECONDS` once it has passed."""
    seconds = int((change - now).total_seconds())
    return Freshness(max(OVERDUE_SECONDS, min(seconds, _interval_seconds())), LIVE_STALE_SECONDS)


def next_refresh(fetched_at: datetime) -> datetime:
    return fetched_at + refresh_interval()


def current_weather(fetched_at: datetime, now: datetime) -> Freshness:
    return until(next_refresh(fetched_at), now)


def hourly_forecast(fetched_at: datetime, now: datetime) -> Freshness:
    """The answer starts at the hour containing `now`: the next hour drops its first point."""
    next_hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return until(min(next_refresh(fetched_at), next_hour), now)


def daily_forecast(fetched_at: datetime, timezone: str, now: datetime) -> Freshness:
    """The answer starts at the location's today: its next midnight drops the first day."""
    local_today = now.astimezone(_zone(timezone)).date()
    return until(min(next_refresh(fetched_at), _midnight_after(local_today, timezone)), now)


def history(end: datetime, now: datetime) -> Freshness:
    """Readings in `[start, end)`: a refresh stores readings of about now, never of the past."""
    if end <= now - PAST_MARGIN:
        return PAST
    return Freshness(min(PRESENT_SECONDS, _interval_seconds()), LIVE_STALE_SECONDS)


def daily_summaries(last_day: date, timezone: str, now: datetime) -> Freshness:
    """Local days up to `last_day` (included): past once that day has ended there."""
    return history(_midnight_after(last_day, timezone), now)


def public_read(request: Any, response: R, freshness: Freshness) -> R:
    """`response` marked as a public read of `freshness`, or private for a caller who sent
    credentials (or any cookie: the language cookie changes the answer); returns it."""
    headers = request.headers
    personal = bool(headers.get("Authorization") or headers.get("Cookie"))
    response["Cache-Control"] = freshness.private() if personal else freshness.public()
    patch_vary_headers(response, PUBLIC_VARY)
    return response


def _interval_seconds() -> int:
    return int(refresh_interval().total_seconds())


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):  # the domain checks zones; this only never fails an answer
        return ZoneInfo("UTC")


def _midnight_after(day: date, timezone: str) -> datetime:
    """The instant the local day after `day` begins in `timezone`."""
    return datetime.combine(day + timedelta(days=1), time.min, _zone(timezone))


def _finish(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    if request.path.startswith(API_PREFIX) and (
        response.status_code >= 400 or not response.has_header("Cache-Control")
    ):
        response["Cache-Control"] = NO_STORE
    return response


@sync_and_async_middleware
def api_cache_control_middleware(
    get_response: Callable[[HttpRequest], Any],
) -> Callable[..., Any]:
    """``no-store`` on every API answer that says nothing of caching, and on every error (outside
    `ProblemDetailsMiddleware`, so the errors it writes are covered too)."""
    if iscoroutinefunction(get_response):

        async def finish_async(request: HttpRequest) -> Any:
            return _finish(request, await get_response(request))

        return finish_async

    def finish(request: HttpRequest) -> Any:
        return _finish(request, get_response(request))

    return finish
