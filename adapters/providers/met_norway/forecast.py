"""`MetNorwayProvider`, the fallback `WeatherProvider`: MET Norway's Locationforecast 2.0
(`/compact`), one polite, cached request per location.

MET's terms shape this client: an identifying `User-Agent` on every request (anonymous ones get
403), at most four decimals in coordinates, and no request before the last answer's `Expires`;
after it, a conditional request (`If-Modified-Since`) whose 304 reuses the last answer. The last
answer per location is kept in a small in-process cache for that. The API has no batching.

What lives here: the request, the cache and the mapping of time steps (`timeseries`) to domain
objects. There is no apparent temperature, and sunrise and sunset are not part of this product
(left missing). MET gives no daily forecast: each step is mapped to a `domain.aggregation.Sample`
(which of MET's periods covers it is this module's business) and the domain makes the local days.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Final

import attrs
import requests

from adapters.providers.http import (
    HttpAnswer,
    MalformedPayload,
    ProviderHttpClient,
    ResiliencePolicy,
)
from adapters.providers.met_norway.symbols import is_day_for, weather_code_for
from adapters.providers.met_norway.timeseries import PERIODS, Step, steps
from adapters.providers.payloads import as_object
from adapters.providers.query import coordinate
from application.ports.clock import Clock
from application.ports.providers import WeatherReport
from domain.aggregation import Sample, daily_forecast
from domain.forecasts import DailyForecast, HourlyForecast, HourlyPoint
from domain.locations import Coordinates, Location
from domain.observations import Observation

DEFAULT_URL: Final = "https://api.met.no/weatherapi/locationforecast/2.0/compact"
DEFAULT_BATCH_SIZE: Final = 20
DEFAULT_CACHE_SIZE: Final = 2048


@attrs.frozen(kw_only=True)
class _CachedAnswer:
    """The last answer for one point and what MET said about its freshness."""

    payload: Mapping[str, object]
    last_modified: str | None
    expires: datetime | None
    fetched_at: datetime


class MetNorwayProvider:
    """The fallback `WeatherProvider`: one polite, cached request per location."""

    def __init__(
        self,
        *,
        timeout_seconds: float,
        user_agent: str,
        clock: Clock,
        base_url: str = DEFAULT_URL,
        max_batch_size: int = DEFAULT_BATCH_SIZE,
        cache_size: int = DEFAULT_CACHE_SIZE,
        policy: ResiliencePolicy | None = None,
        session: requests.Session | None = None,
        name: str = "met-norway",
    ) -> None:
        if not user_agent.strip():
            raise ValueError("MET Norway requires an identifying User-Agent (app name, contact).")
        if max_batch_size < 1 or cache_size < 1:
            raise ValueError("max_batch_size and cache_size must be at least 1.")
        self._name = name
        self._url = base_url
        self._max_batch_size = max_batch_size
        self._cache_size = cache_size
        self._clock = clock
        self._client = ProviderHttpClient(
            name,
            timeout_seconds=timeout_seconds,
            policy=policy,
            session=session,
            user_agent=user_agent.strip(),
        )
        self._cache: OrderedDict[Coordinates, _CachedAnswer] = OrderedDict()
        self._cache_lock = threading.Lock()

    @property
    def name(self) -> str:
        return self._name

    @property
    def max_batch_size(self) -> int:
        return self._max_batch_size

    @property
    def client(self) -> ProviderHttpClient:
        return self._client

    def fetch(self, locations: Sequence[Location]) -> Sequence[WeatherReport]:
        """One request per location, in order; the first failure fails the whole call."""
        return [self._fetch_one(location) for location in locations]

    def _fetch_one(self, location: Location) -> WeatherReport:
        key = location.coordinates  # already rounded to four decimals, as MET requires
        now = self._clock.now()
        cached = self._cached(key)
        if cached is not None and cached.expires is not None and now < cached.expires:
            return self._report(cached.payload, location, cached.fetched_at, now)
        params = {"lat": coordinate(key.latitude), "lon": coordinate(key.longitude)}
        if location.elevation is not None:
            params["altitude"] = str(round(location.elevation))
        headers = {}
        if cached is not None and cached.last_modified is not None:
            headers["If-Modified-Since"] = cached.last_modified

        def parse(answer: HttpAnswer) -> tuple[_CachedAnswer, WeatherReport]:
            if answer.status == 304:
                if cached is None:
                    raise MalformedPayload("304 Not Modified, but nothing was asked conditionally")
                entry = attrs.evolve(
                    cached,
                    last_modified=answer.headers.get("Last-Modified", cached.last_modified),
                    expires=_expires(answer.headers),
                    fetched_at=now,
                )
            else:
                entry = _CachedAnswer(
                    payload=as_object(answer.body, "answer"),
                    last_modified=answer.headers.get("Last-Modified"),
                    expires=_expires(answer.headers),
                    fetched_at=now,
                )
            return entry, self._report(entry.payload, location, now, now)

        entry, report = self._client.call(
            self._url, params=params, headers=headers, parse=parse, locations=1
        )
        self._remember(key, entry)
        return report

    def _cached(self, key: Coordinates) -> _CachedAnswer | None:
        with self._cache_lock:
            entry = self._cache.get(key)
            if entry is not None:
                self._cache.move_to_end(key)
            return entry

    def _remember(self, key: Coordinates, entry: _CachedAnswer) -> None:
        with self._cache_lock:
            self._cache[key] = entry
            self._cache.move_to_end(key)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _report(
        self,
        payload: Mapping[str, object],
        location: Location,
        fetched_at: datetime,
        now: datetime,
    ) -> WeatherReport:
        answer_steps = steps(payload)
        hourly = [_hourly_point(step) for step in answer_steps]
        return WeatherReport(
            location_id=location.id,
            current=self._current(answer_steps, location, fetched_at, now),
            hourly=HourlyForecast(
                location_id=location.id,
                provider=self._name,
                fetched_at=fetched_at,
                points=hourly,
            ),
            daily=DailyForecast(
                location_id=location.id,
                provider=self._name,
                fetched_at=fetched_at,
                points=daily_forecast(_samples(answer_steps, hourly), location.timezone),
            ),
        )

    def _current(
        self, answer_steps: Sequence[Step], location: Location, fetched_at: datetime, now: datetime
    ) -> Observation | None:
        """The step that holds "now": the last one not after it (or the first, if all are)."""
        if not answer_steps:
            return None
        past = [step for step in answer_steps if step.time <= now]
        step = past[-1] if past else answer_steps[0]
        symbol = step.symbol(*PERIODS)
        return Observation(
            location_id=location.id,
            observed_at=step.time,
            provider=self._name,
            fetched_at=fetched_at,
            temperature=step.detail("air_temperature"),
            relative_humidity=step.detail("relative_humidity"),
            dew_point=step.detail("dew_point_temperature"),
            pressure=step.detail("air_pressure_at_sea_level"),
            wind_speed=step.speed("wind_speed"),
            wind_direction=step.detail("wind_from_direction"),
            wind_gusts=step.speed("wind_speed_of_gust"),
            precipitation=step.period_detail("next_1_hours", "precipitation_amount"),
            cloud_cover=step.detail("cloud_area_fraction"),
            weather_code=None if symbol is None else weather_code_for(symbol),
            is_day=None if symbol is None else is_day_for(symbol),
        )


def _expires(headers: Mapping[str, str]) -> datetime | None:
    """`Expires` as a UTC instant; an unreadable one means "ask again next time"."""
    raw = headers.get("Expires")
    if not raw:
        return None
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _hourly_point(step: Step) -> HourlyPoint:
    """Beyond about 60 hours MET steps every 6 hours: those points keep their instant values
    but no hourly precipitation (a 6-hour amount is not an hour's)."""
    symbol = step.symbol("next_1_hours", "next_6_hours")
    return HourlyPoint(
        time=step.time,
        temperature=step.detail("air_temperature"),
        relative_humidity=step.detail("relative_humidity"),
        precipitation_probability=step.period_detail(
            "next_1_hours", "probability_of_precipitation"
        ),
        precipitation=step.period_detail("next_1_hours", "precipitation_amount"),
        wind_speed=step.speed("wind_speed"),
        wind_direction=step.detail("wind_from_direction"),
        weather_code=None if symbol is None else weather_code_for(symbol),
    )


def _samples(answer_steps: Sequence[Step], hourly: Sequence[HourlyPoint]) -> list[Sample]:
    """Each step as the domain's daily aggregation reads it: its instant values (those of its
    hourly point), the 6-hour period's extremes, the highest chance any of its periods gives, and
    the amount of the period that reaches the next step, so no hour is counted twice."""
    samples = []
    for index, (step, point) in enumerate(zip(answer_steps, hourly, strict=True)):
        after = answer_steps[index + 1] if index + 1 < len(answer_steps) else None
        chances = [step.period_detail(period, "probability_of_precipitation") for period in PERIODS]
        samples.append(
            Sample(
                time=step.time,
                temperature=point.temperature,
                temperature_low=step.period_detail("next_6_hours", "air_temperature_min"),
                temperature_high=step.period_detail("next_6_hours", "air_temperature_max"),
                precipitation=_period_amount(
                    step, None if after is None else after.time - step.time
                ),
                precipitation_probability=max(
                    (chance for chance in chances if chance is not None), default=None
                ),
                wind_speed=point.wind_speed,
                weather_code=point.weather_code,
            )
        )
    return samples


def _period_amount(step: Step, gap: timedelta | None) -> float | None:
    """The precipitation of the period that runs from this step to the next one (1 h where steps
    are hourly, 6 h beyond); the last step's own period when there is no next one."""
    hourly = step.period_detail("next_1_hours", "precipitation_amount")
    if hourly is not None and (gap is None or gap <= timedelta(hours=1)):
        return hourly
    six_hourly = step.period_detail("next_6_hours", "precipitation_amount")
    if six_hourly is not None and (gap is None or gap >= timedelta(hours=6)):
        return six_hourly
    return None
