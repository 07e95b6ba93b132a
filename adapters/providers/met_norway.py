"""MET Norway's Locationforecast 2.0 (`/compact`): `MetNorwayProvider`, the fallback
`WeatherProvider`, and the table from MET's `symbol_code`s to WMO weather codes.

MET's terms shape this client: an identifying `User-Agent` on every request (anonymous ones get
403), at most four decimals in coordinates, and no request before the last answer's `Expires`;
after it, a conditional request (`If-Modified-Since`) whose 304 reuses the last answer. The last
answer per location is kept in a small in-process cache for that. The API has no batching: one
request per location.

Conversions: all times are UTC already; wind comes in m/s and is converted by `domain.units`;
there is no apparent temperature, and sunrise and sunset are not part of this product (left
missing). The daily forecast is aggregated here from the time steps, by the location's local day.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from types import MappingProxyType
from typing import Final
from zoneinfo import ZoneInfo

import attrs
import requests

from adapters.providers.http import (
    HttpAnswer,
    MalformedPayload,
    ProviderHttpClient,
    ResiliencePolicy,
    WallClock,
)
from adapters.providers.payloads import as_list, as_object, member, optional_number, text
from application.ports.clock import Clock
from application.ports.providers import WeatherReport
from domain.forecasts import DailyForecast, DailyPoint, HourlyForecast, HourlyPoint
from domain.locations import Coordinates, Location
from domain.observations import Observation
from domain.units import Speed

logger = logging.getLogger(__name__)

DEFAULT_URL: Final = "https://api.met.no/weatherapi/locationforecast/2.0/compact"
DEFAULT_BATCH_SIZE: Final = 20
DEFAULT_CACHE_SIZE: Final = 2048

# MET's symbol codes without their `_day` / `_night` / `_polartwilight` suffix, to the nearest WMO
# 4677 code of `domain.weather_codes`. Where WMO is finer (drizzle, rime fog) MET has no match;
# where MET is finer the nearest coarser code wins:
# - sleet (rain and snow together) has no code in the table: sleet → freezing rain (66/67),
#   sleet showers → snow showers (85/86);
# - every "...andthunder" → 95 (thunderstorm): MET does not say whether hail falls (96/99);
# - MET spells two codes "lightssleet..." and "lightssnow..."; both spellings are listed.
SYMBOL_TO_WMO: Final[Mapping[str, int]] = MappingProxyType(
    {
        "clearsky": 0,
        "fair": 1,
        "partlycloudy": 2,
        "cloudy": 3,
        "fog": 45,
        "lightrain": 61,
        "rain": 63,
        "heavyrain": 65,
        "lightsleet": 66,
        "sleet": 66,
        "heavysleet": 67,
        "lightsnow": 71,
        "snow": 73,
        "heavysnow": 75,
        "lightrainshowers": 80,
        "rainshowers": 81,
        "heavyrainshowers": 82,
        "lightsleetshowers": 85,
        "sleetshowers": 85,
        "heavysleetshowers": 86,
        "lightsnowshowers": 85,
        "snowshowers": 85,
        "heavysnowshowers": 86,
        "lightrainandthunder": 95,
        "rainandthunder": 95,
        "heavyrainandthunder": 95,
        "lightsleetandthunder": 95,
        "sleetandthunder": 95,
        "heavysleetandthunder": 95,
        "lightsnowandthunder": 95,
        "snowandthunder": 95,
        "heavysnowandthunder": 95,
        "lightrainshowersandthunder": 95,
        "rainshowersandthunder": 95,
        "heavyrainshowersandthunder": 95,
        "lightssleetshowersandthunder": 95,
        "lightsleetshowersandthunder": 95,
        "sleetshowersandthunder": 95,
        "heavysleetshowersandthunder": 95,
        "lightssnowshowersandthunder": 95,
        "lightsnowshowersandthunder": 95,
        "snowshowersandthunder": 95,
        "heavysnowshowersandthunder": 95,
    }
)
_DAY_SUFFIXES: Final = {"_day": True, "_night": False, "_polartwilight": False}

# The unit each detail must carry in `properties.meta.units`.
EXPECTED_UNITS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "air_temperature": "celsius",
        "air_temperature_max": "celsius",
        "air_temperature_min": "celsius",
        "dew_point_temperature": "celsius",
        "air_pressure_at_sea_level": "hPa",
        "relative_humidity": "%",
        "cloud_area_fraction": "%",
        "probability_of_precipitation": "%",
        "precipitation_amount": "mm",
        "wind_from_direction": "degrees",
        "wind_speed": "m/s",
        "wind_speed_of_gust": "m/s",
    }
)


def weather_code_for(symbol_code: str) -> int | None:
    """The WMO code nearest to a MET symbol (`partlycloudy_day` → 2); `None` if unknown."""
    base = symbol_code
    for suffix in _DAY_SUFFIXES:
        base = base.removesuffix(suffix)
    code = SYMBOL_TO_WMO.get(base)
    if code is None:
        logger.warning("Unknown MET Norway symbol code %r", symbol_code)
    return code


def is_day_for(symbol_code: str) -> bool | None:
    """`_day` → True; `_night` and `_polartwilight` (sun below the horizon) → False."""
    for suffix, daylight in _DAY_SUFFIXES.items():
        if symbol_code.endswith(suffix):
            return daylight
    return None


@attrs.frozen(kw_only=True)
class _CachedAnswer:
    """The last answer for one point and what MET said about its freshness."""

    payload: Mapping[str, object]
    last_modified: str | None
    expires: datetime | None
    fetched_at: datetime


@attrs.frozen(kw_only=True)
class _Step:
    """One time step of the time series, its details read and converted."""

    time: datetime
    instant: Mapping[str, object]
    next_1_hours: Mapping[str, object] | None
    next_6_hours: Mapping[str, object] | None
    next_12_hours: Mapping[str, object] | None
    path: str

    def detail(self, name: str) -> float | None:
        return optional_number(self.instant.get(name), f"{self.path}.instant.details.{name}")

    def speed(self, name: str) -> float | None:
        value = self.detail(name)
        return None if value is None else Speed.from_metres_per_second(value).kilometres_per_hour

    def period_detail(self, period: str, name: str) -> float | None:
        block = self._period(period)
        if block is None:
            return None
        details = block.get("details")
        if details is None:
            return None
        path = f"{self.path}.{period}.details"
        return optional_number(as_object(details, path).get(name), f"{path}.{name}")

    def symbol(self, *periods: str) -> str | None:
        """The symbol of the first of `periods` that has one."""
        for period in periods:
            block = self._period(period)
            if block is None or "summary" not in block:
                continue
            summary = as_object(block["summary"], f"{self.path}.{period}.summary")
            if "symbol_code" in summary:
                return text(summary["symbol_code"], f"{self.path}.{period}.summary.symbol_code")
        return None

    def _period(self, period: str) -> Mapping[str, object] | None:
        return {
            "next_1_hours": self.next_1_hours,
            "next_6_hours": self.next_6_hours,
            "next_12_hours": self.next_12_hours,
        }[period]


class MetNorwayProvider:
    """The fallback `WeatherProvider`: one polite, cached request per location."""

    def __init__(
        self,
        *,
        timeout_seconds: float,
        user_agent: str,
        base_url: str = DEFAULT_URL,
        max_batch_size: int = DEFAULT_BATCH_SIZE,
        cache_size: int = DEFAULT_CACHE_SIZE,
        policy: ResiliencePolicy | None = None,
        session: requests.Session | None = None,
        clock: Clock | None = None,
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
        self._clock: Clock = clock if clock is not None else WallClock()
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
        params = {"lat": _coordinate(key.latitude), "lon": _coordinate(key.longitude)}
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
        steps = _steps(payload)
        return WeatherReport(
            location_id=location.id,
            current=self._current(steps, location, fetched_at, now),
            hourly=HourlyForecast(
                location_id=location.id,
                provider=self._name,
                fetched_at=fetched_at,
                points=[_hourly_point(step) for step in steps],
            ),
            daily=DailyForecast(
                location_id=location.id,
                provider=self._name,
                fetched_at=fetched_at,
                points=_daily_points(steps, ZoneInfo(location.timezone)),
            ),
        )

    def _current(
        self, steps: Sequence[_Step], location: Location, fetched_at: datetime, now: datetime
    ) -> Observation | None:
        """The step that holds "now": the last one not after it (or the first, if all are)."""
        if not steps:
            return None
        past = [step for step in steps if step.time <= now]
        step = past[-1] if past else steps[0]
        symbol = step.symbol("next_1_hours", "next_6_hours", "next_12_hours")
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


def _coordinate(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


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


def _steps(payload: Mapping[str, object]) -> list[_Step]:
    properties = as_object(member(payload, "properties", "answer"), "answer.properties")
    meta = as_object(member(properties, "meta", "answer.properties"), "answer.properties.meta")
    units = as_object(member(meta, "units", "answer.properties.meta"), "meta.units")
    for name, expected in EXPECTED_UNITS.items():
        if name in units and units[name] != expected:
            raise MalformedPayload(
                f"meta.units.{name} is {units[name]!r}, but {expected!r} is what this client reads"
            )
    series = as_list(member(properties, "timeseries", "answer.properties"), "timeseries")
    steps = []
    for index, entry in enumerate(series):
        path = f"timeseries[{index}]"
        raw = as_object(entry, path)
        moment = _utc_time(member(raw, "time", path), f"{path}.time")
        data = as_object(member(raw, "data", path), f"{path}.data")
        instant = as_object(member(data, "instant", f"{path}.data"), f"{path}.data.instant")
        details = as_object(instant.get("details", {}), f"{path}.data.instant.details")
        periods = {
            period: as_object(data[period], f"{path}.data.{period}") if period in data else None
            for period in ("next_1_hours", "next_6_hours", "next_12_hours")
        }
        steps.append(
            _Step(
                time=moment,
                instant=details,
                next_1_hours=periods["next_1_hours"],
                next_6_hours=periods["next_6_hours"],
                next_12_hours=periods["next_12_hours"],
                path=f"{path}.data",
            )
        )
    for step in steps:
        for name in step.instant:
            if name in EXPECTED_UNITS and name not in units:
                raise MalformedPayload(f"meta.units does not name the unit of {name}")
    return sorted(steps, key=lambda step: step.time)


def _utc_time(value: object, path: str) -> datetime:
    raw = text(value, path)
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise MalformedPayload(f"{path} should be a time, not {raw!r}") from None
    if moment.tzinfo is None:
        raise MalformedPayload(f"{path} has no UTC offset: {raw!r}")
    return moment.astimezone(UTC)


def _hourly_point(step: _Step) -> HourlyPoint:
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


def _daily_points(steps: Sequence[_Step], zone: ZoneInfo) -> list[DailyPoint]:
    """Each local day of the location, from the steps that start in it.

    Precipitation adds each step's period that reaches the next step (1 h where steps are
    hourly, 6 h beyond), so no hour is counted twice. The day's weather code is its most severe
    one (WMO codes grow with severity). The first and last days hold only the forecast's hours.
    """
    days: dict[date, list[tuple[_Step, timedelta | None]]] = {}
    for index, step in enumerate(steps):
        gap = steps[index + 1].time - step.time if index + 1 < len(steps) else None
        days.setdefault(step.time.astimezone(zone).date(), []).append((step, gap))
    return [_daily_point(day, entries) for day, entries in days.items()]


def _daily_point(day: date, entries: Sequence[tuple[_Step, timedelta | None]]) -> DailyPoint:
    lows: list[float] = []
    highs: list[float] = []
    winds: list[float] = []
    codes: list[int] = []
    probabilities: list[float] = []
    rain: list[float] = []
    for step, gap in entries:
        temperature = step.detail("air_temperature")
        lows.extend(
            v
            for v in (temperature, step.period_detail("next_6_hours", "air_temperature_min"))
            if v is not None
        )
        highs.extend(
            v
            for v in (temperature, step.period_detail("next_6_hours", "air_temperature_max"))
            if v is not None
        )
        wind = step.speed("wind_speed")
        if wind is not None:
            winds.append(wind)
        symbol = step.symbol("next_1_hours", "next_6_hours")
        code = None if symbol is None else weather_code_for(symbol)
        if code is not None:
            codes.append(code)
        for period in ("next_1_hours", "next_6_hours", "next_12_hours"):
            chance = step.period_detail(period, "probability_of_precipitation")
            if chance is not None:
                probabilities.append(chance)
        amount = _period_amount(step, gap)
        if amount is not None:
            rain.append(amount)
    return DailyPoint(
        date=day,
        temperature_min=min(lows, default=None),
        temperature_max=max(highs, default=None),
        precipitation_sum=sum(rain) if rain else None,
        precipitation_probability_max=max(probabilities, default=None),
        wind_speed_max=max(winds, default=None),
        weather_code=max(codes, default=None),
    )


def _period_amount(step: _Step, gap: timedelta | None) -> float | None:
    """The precipitation of the period that runs from this step to the next one."""
    hourly = step.period_detail("next_1_hours", "precipitation_amount")
    if hourly is not None and (gap is None or gap <= timedelta(hours=1)):
        return hourly
    six_hourly = step.period_detail("next_6_hours", "precipitation_amount")
    if six_hourly is not None and (gap is None or gap >= timedelta(hours=6)):
        return six_hourly
    return None
