"""Open-Meteo clients: `OpenMeteoProvider` (forecast API: current, hourly and daily in one call,
up to 100 locations per request), `OpenMeteoGeocoder` (geocoding API) and `OpenMeteoArchive`
(historical hourly readings from the archive API).

Time: every request asks for `timeformat=unixtime`, so each instant arrives as UTC seconds and
needs no guessing. ISO strings (the API's default, and the recorded fixtures) are still read,
as wall-clock times of the answer's `timezone` resolved through zoneinfo — never as UTC, and never
with the single `utc_offset_seconds`, which is wrong on the other side of a DST change. Daily dates
are calendar dates of the location's own time zone, which the request names.

Units: the request names them (°C, m/s, mm) and the answer's `*_units` must say the same for every
series present, or the answer is refused; wind is converted to km/h by `domain.units`. `null` in
any series is a missing value, never zero.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Final, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
import requests

from adapters.providers.http import (
    HttpAnswer,
    MalformedPayload,
    ProviderHttpClient,
    ResiliencePolicy,
    WallClock,
)
from adapters.providers.payloads import (
    as_list,
    as_object,
    member,
    number,
    optional_integer,
    optional_number,
    optional_text,
    text,
)
from application.ports.clock import Clock
from application.ports.providers import WeatherReport
from domain.errors import InvalidInput
from domain.forecasts import DailyForecast, DailyPoint, HourlyForecast, HourlyPoint
from domain.locations import Coordinates, Location, Place
from domain.observations import Observation
from domain.units import Speed

logger = logging.getLogger(__name__)

DEFAULT_FORECAST_URL: Final = "https://api.open-meteo.com/v1/forecast"
DEFAULT_GEOCODING_URL: Final = "https://geocoding-api.open-meteo.com/v1/search"
DEFAULT_ARCHIVE_URL: Final = "https://archive-api.open-meteo.com/v1/archive"

MAX_LOCATIONS_PER_REQUEST: Final = 100
MAX_FORECAST_DAYS: Final = 16
"""The contract serves up to 384 hours and 16 days of forecast, the API's maximum."""
ARCHIVE_CHUNK_DAYS: Final = 31
GEOCODING_MAX_COUNT: Final = 100

T = TypeVar("T")
Reading = float | int | bool | None
Reader = Callable[[object, str], Reading]


def _measured(value: object, path: str) -> Reading:
    """A reading already in the unit the core stores; `null` stays missing."""
    return optional_number(value, path)


@functools.lru_cache(maxsize=4096)
def _kilometres_per_hour(metres_per_second: float) -> float:
    """Cached: a forecast repeats the same few wind speeds (0.1 m/s steps) thousands of times."""
    return Speed.from_metres_per_second(metres_per_second).kilometres_per_hour


def _metres_per_second(value: object, path: str) -> Reading:
    speed = optional_number(value, path)
    return None if speed is None else _kilometres_per_hour(speed)


def _flag(value: object, path: str) -> Reading:
    flag = optional_integer(value, path)
    if flag not in (None, 0, 1):
        raise MalformedPayload(f"{path} should be 0 or 1, not {value!r}")
    return None if flag is None else flag == 1


@attrs.frozen
class _Variable:
    """One Open-Meteo series: its API name, the domain field it fills, the unit it must carry."""

    api_name: str
    field: str
    unit: str
    read: Reader = _measured


# The unit strings are the API's own spelling (see the recorded fixture).
_TEMPERATURE, _PERCENT, _SPEED = "°C", "%", "m/s"

CURRENT_VARIABLES: Final = (
    _Variable("temperature_2m", "temperature", _TEMPERATURE),
    _Variable("apparent_temperature", "apparent_temperature", _TEMPERATURE),
    _Variable("relative_humidity_2m", "relative_humidity", _PERCENT),
    _Variable("dew_point_2m", "dew_point", _TEMPERATURE),
    _Variable("pressure_msl", "pressure", "hPa"),
    _Variable("wind_speed_10m", "wind_speed", _SPEED, _metres_per_second),
    _Variable("wind_direction_10m", "wind_direction", "°"),
    _Variable("wind_gusts_10m", "wind_gusts", _SPEED, _metres_per_second),
    _Variable("precipitation", "precipitation", "mm"),
    _Variable("cloud_cover", "cloud_cover", _PERCENT),
    _Variable("weather_code", "weather_code", "wmo code", optional_integer),
    _Variable("is_day", "is_day", "", _flag),
)
HOURLY_VARIABLES: Final = (
    _Variable("temperature_2m", "temperature", _TEMPERATURE),
    _Variable("apparent_temperature", "apparent_temperature", _TEMPERATURE),
    _Variable("relative_humidity_2m", "relative_humidity", _PERCENT),
    _Variable("precipitation_probability", "precipitation_probability", _PERCENT),
    _Variable("precipitation", "precipitation", "mm"),
    _Variable("wind_speed_10m", "wind_speed", _SPEED, _metres_per_second),
    _Variable("wind_direction_10m", "wind_direction", "°"),
    _Variable("weather_code", "weather_code", "wmo code", optional_integer),
)
DAILY_VARIABLES: Final = (
    _Variable("weather_code", "weather_code", "wmo code", optional_integer),
    _Variable("temperature_2m_max", "temperature_max", _TEMPERATURE),
    _Variable("temperature_2m_min", "temperature_min", _TEMPERATURE),
    _Variable("precipitation_sum", "precipitation_sum", "mm"),
    _Variable("precipitation_probability_max", "precipitation_probability_max", _PERCENT),
    _Variable("wind_speed_10m_max", "wind_speed_max", _SPEED, _metres_per_second),
)
DAILY_INSTANTS: Final = ("sunrise", "sunset")
ARCHIVE_VARIABLES: Final = tuple(v for v in CURRENT_VARIABLES if v.api_name != "is_day")
_TIME_UNITS: Final = frozenset({"iso8601", "unixtime"})

# Asked for explicitly, so the `*_units` check compares against what this module requested.
_UNIT_PARAMS: Final = {
    "temperature_unit": "celsius",
    "wind_speed_unit": "ms",
    "precipitation_unit": "mm",
    "timeformat": "unixtime",
}


def _names(variables: Sequence[_Variable], *extra: str) -> str:
    return ",".join([variable.api_name for variable in variables] + list(extra))


def _coordinate(value: float) -> str:
    """Four decimals at most (the domain's precision), without trailing zeros."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _with_key(params: dict[str, str], api_key: str) -> dict[str, str]:
    if api_key:
        params["apikey"] = api_key
    return params


# --- time -----------------------------------------------------------------------------------------


def _answer_zone(payload: Mapping[str, object], path: str) -> tzinfo:
    """The zone the answer's wall-clock strings and daily dates are in."""
    name = payload.get("timezone")
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            logger.warning("Open-Meteo answered the unknown time zone %r", name)
    offset = payload.get("utc_offset_seconds", 0)
    return timezone(timedelta(seconds=number(offset, f"{path}.utc_offset_seconds")))


def _instant(value: object, zone: tzinfo, path: str) -> datetime:
    """A UTC instant from unix seconds, or from a wall-clock string of `zone`."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, UTC)
    raw = text(value, path)
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise MalformedPayload(f"{path} should be a time, not {raw!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def _optional_instant(value: object, zone: tzinfo, path: str) -> datetime | None:
    return None if value is None else _instant(value, zone, path)


def _local_date(value: object, zone: tzinfo, path: str) -> date:
    """A daily `time`: unix seconds of local midnight, or a `YYYY-MM-DD` string."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, zone).date()
    raw = text(value, path)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise MalformedPayload(f"{path} should be a date, not {raw!r}") from None


# --- blocks ---------------------------------------------------------------------------------------


def _block_units(payload: Mapping[str, object], block: str, path: str) -> Mapping[str, object]:
    return as_object(member(payload, f"{block}_units", path), f"{path}.{block}_units")


def _check_unit(units: Mapping[str, object], name: str, expected: str, path: str) -> None:
    """Refuse a series whose unit is not the one asked for (e.g. km/h when m/s was asked)."""
    unit = units.get(name)
    if unit != expected:
        shown = "no unit" if unit is None else repr(unit)
        raise MalformedPayload(f"{path}.{name} came in {shown}, but {expected!r} was asked for")


def _check_time_unit(units: Mapping[str, object], path: str, name: str = "time") -> None:
    if units.get(name) not in _TIME_UNITS:
        raise MalformedPayload(f"{path}.{name} has the unknown time format {units.get(name)!r}")


def _values(
    data: Mapping[str, object],
    units: Mapping[str, object],
    variables: Sequence[_Variable],
    path: str,
) -> dict[str, Reading]:
    """The readings of one time step; a variable the answer left out is a missing value."""
    readings: dict[str, Reading] = {}
    for variable in variables:
        if variable.api_name not in data:
            continue
        _check_unit(units, variable.api_name, variable.unit, path)
        value = data[variable.api_name]
        readings[variable.field] = variable.read(value, f"{path}.{variable.api_name}")
    return readings


@attrs.frozen
class _Series:
    """A block of parallel arrays (`hourly` or `daily`): its `time` array and the named columns."""

    times: Sequence[object]
    columns: Mapping[str, Sequence[object]]
    units: Mapping[str, object]
    path: str

    def readings(self, variables: Sequence[_Variable]) -> dict[str, list[Reading]]:
        """Each present variable's column, converted; its domain field name as the key."""
        return {
            variable.field: _converted(variable.read, column, f"{self.path}.{variable.api_name}")
            for variable in variables
            if (column := self.columns.get(variable.api_name)) is not None
        }

    def instants(self, zone: tzinfo) -> list[datetime]:
        def read(value: object, path: str) -> datetime:
            if type(value) is int:  # unix seconds, as asked: the fast path
                return datetime.fromtimestamp(value, UTC)
            return _instant(value, zone, path)

        return _converted(read, self.times, f"{self.path}.time")

    def rows(self, variables: Sequence[_Variable]) -> list[dict[str, Reading]]:
        """The readings of each time step, as keyword arguments for a domain point."""
        columns = self.readings(variables)
        if not columns:
            return [{} for _ in self.times]
        fields = list(columns)
        return [
            dict(zip(fields, values, strict=True)) for values in zip(*columns.values(), strict=True)
        ]

    def instant(self, index: int, name: str, zone: tzinfo) -> datetime | None:
        """A column of instants (sunrise, sunset); missing when the answer has no such column."""
        column = self.columns.get(name)
        if column is None:
            return None
        return _optional_instant(column[index], zone, f"{self.path}.{name}[{index}]")


def _converted(read: Callable[[object, str], T], values: Sequence[object], path: str) -> list[T]:
    """`read` applied to a whole column. Paths are only spelt out to report a bad value: building
    one per value costs more than reading a forecast of 384 hours for 100 locations."""
    try:
        if read is _measured:  # the common case, kept free of a call per value
            return [value if type(value) is float else read(value, "") for value in values]  # type: ignore[misc]
        return [read(value, "") for value in values]
    except MalformedPayload:
        for index, value in enumerate(values):
            read(value, f"{path}[{index}]")
        raise


def _series(
    payload: Mapping[str, object], block: str, variables: Sequence[str], path: str
) -> _Series | None:
    """The block, its units checked by the caller's variables; `None` when the answer has none."""
    if block not in payload:
        return None
    block_path = f"{path}.{block}"
    data = as_object(payload[block], block_path)
    units = _block_units(payload, block, path)
    _check_time_unit(units, f"{path}.{block}_units")
    times = as_list(member(data, "time", block_path), f"{block_path}.time")
    columns: dict[str, Sequence[object]] = {}
    for name in variables:
        if name not in data:
            continue
        column = as_list(data[name], f"{block_path}.{name}")
        if len(column) != len(times):
            raise MalformedPayload(
                f"{block_path}.{name} has {len(column)} values for {len(times)} times"
            )
        columns[name] = column
    return _Series(times=times, columns=columns, units=units, path=block_path)


def _checked_series(
    payload: Mapping[str, object],
    block: str,
    variables: Sequence[_Variable],
    path: str,
    instants: Sequence[str] = (),
) -> _Series | None:
    series = _series(payload, block, [v.api_name for v in variables] + list(instants), path)
    if series is None:
        return None
    for variable in variables:
        if variable.api_name in series.columns:
            _check_unit(series.units, variable.api_name, variable.unit, f"{path}.{block}")
    for name in instants:
        if name in series.columns:
            _check_time_unit(series.units, f"{path}.{block}_units", name)
    return series


# --- forecast -------------------------------------------------------------------------------------


class OpenMeteoProvider:
    """The preferred `WeatherProvider`: current conditions, hourly and daily forecast for up to
    100 locations per request, so refreshing a thousand locations takes ten calls."""

    def __init__(
        self,
        *,
        timeout_seconds: float,
        base_url: str = DEFAULT_FORECAST_URL,
        api_key: str = "",
        forecast_days: int = MAX_FORECAST_DAYS,
        max_batch_size: int = MAX_LOCATIONS_PER_REQUEST,
        policy: ResiliencePolicy | None = None,
        session: requests.Session | None = None,
        clock: Clock | None = None,
        name: str = "open-meteo",
    ) -> None:
        if not 1 <= max_batch_size <= MAX_LOCATIONS_PER_REQUEST:
            raise ValueError(f"max_batch_size must be 1 to {MAX_LOCATIONS_PER_REQUEST}.")
        if not 1 <= forecast_days <= MAX_FORECAST_DAYS:
            raise ValueError(f"forecast_days must be 1 to {MAX_FORECAST_DAYS}.")
        self._name = name
        self._url = base_url
        self._api_key = api_key
        self._forecast_days = forecast_days
        self._max_batch_size = max_batch_size
        self._clock: Clock = clock if clock is not None else WallClock()
        self._client = ProviderHttpClient(
            name, timeout_seconds=timeout_seconds, policy=policy, session=session
        )

    @property
    def name(self) -> str:
        return self._name

    @property
    def max_batch_size(self) -> int:
        return self._max_batch_size

    @property
    def client(self) -> ProviderHttpClient:
        """Exposed for operations and tests (the breaker's state)."""
        return self._client

    def fetch(self, locations: Sequence[Location]) -> Sequence[WeatherReport]:
        """One request per 100 locations; any failed request fails the whole call."""
        reports: list[WeatherReport] = []
        for start in range(0, len(locations), self._max_batch_size):
            batch = locations[start : start + self._max_batch_size]
            reports.extend(self._fetch_batch(batch))
        return reports

    def _fetch_batch(self, batch: Sequence[Location]) -> list[WeatherReport]:
        zones = [location.timezone for location in batch]
        params = {
            "latitude": ",".join(_coordinate(loc.coordinates.latitude) for loc in batch),
            "longitude": ",".join(_coordinate(loc.coordinates.longitude) for loc in batch),
            "current": _names(CURRENT_VARIABLES),
            "hourly": _names(HOURLY_VARIABLES),
            "daily": _names(DAILY_VARIABLES, *DAILY_INSTANTS),
            # One zone per location (comma-separated), so daily dates are its local days.
            "timezone": zones[0] if len(set(zones)) == 1 else ",".join(zones),
            "forecast_days": str(self._forecast_days),
            **_UNIT_PARAMS,
        }
        fetched_at = self._clock.now()
        return self._client.call(
            self._url,
            params=_with_key(params, self._api_key),
            parse=lambda answer: self._reports(answer, batch, fetched_at),
            locations=len(batch),
        )

    def _reports(
        self, answer: HttpAnswer, batch: Sequence[Location], fetched_at: datetime
    ) -> list[WeatherReport]:
        body = answer.body
        # One location answers an object; several answer an array in request order.
        payloads = [body] if isinstance(body, dict) else as_list(body, "answer")
        if len(payloads) != len(batch):
            raise MalformedPayload(
                f"the answer holds {len(payloads)} locations for {len(batch)} asked"
            )
        return [
            self._report(as_object(payload, f"[{index}]"), location, fetched_at, f"[{index}]")
            for index, (payload, location) in enumerate(zip(payloads, batch, strict=True))
        ]

    def _report(
        self, payload: Mapping[str, object], location: Location, fetched_at: datetime, path: str
    ) -> WeatherReport:
        zone = _answer_zone(payload, path)
        return WeatherReport(
            location_id=location.id,
            current=self._current(payload, location, fetched_at, zone, path),
            hourly=self._hourly(payload, location, fetched_at, zone, path),
            daily=self._daily(payload, location, fetched_at, zone, path),
        )

    def _current(
        self,
        payload: Mapping[str, object],
        location: Location,
        fetched_at: datetime,
        zone: tzinfo,
        path: str,
    ) -> Observation | None:
        if "current" not in payload:
            return None
        data = as_object(payload["current"], f"{path}.current")
        units = _block_units(payload, "current", path)
        _check_time_unit(units, f"{path}.current_units")
        observed_at = _instant(member(data, "time", f"{path}.current"), zone, f"{path}.current")
        readings = _values(data, units, CURRENT_VARIABLES, f"{path}.current")
        return Observation(
            location_id=location.id,
            observed_at=observed_at,
            provider=self._name,
            fetched_at=fetched_at,
            **readings,  # type: ignore[arg-type]
        )

    def _hourly(
        self,
        payload: Mapping[str, object],
        location: Location,
        fetched_at: datetime,
        zone: tzinfo,
        path: str,
    ) -> HourlyForecast | None:
        series = _checked_series(payload, "hourly", HOURLY_VARIABLES, path)
        if series is None:
            return None
        points = [
            HourlyPoint(time=moment, **row)  # type: ignore[arg-type]
            for moment, row in zip(
                series.instants(zone), series.rows(HOURLY_VARIABLES), strict=True
            )
        ]
        return HourlyForecast(
            location_id=location.id, provider=self._name, fetched_at=fetched_at, points=points
        )

    def _daily(
        self,
        payload: Mapping[str, object],
        location: Location,
        fetched_at: datetime,
        zone: tzinfo,
        path: str,
    ) -> DailyForecast | None:
        series = _checked_series(payload, "daily", DAILY_VARIABLES, path, DAILY_INSTANTS)
        if series is None:
            return None
        rows = series.rows(DAILY_VARIABLES)
        points = [
            DailyPoint(
                date=_local_date(day, zone, f"{series.path}.time[{index}]"),
                sunrise=series.instant(index, "sunrise", zone),
                sunset=series.instant(index, "sunset", zone),
                **rows[index],  # type: ignore[arg-type]
            )
            for index, day in enumerate(series.times)
        ]
        return DailyForecast(
            location_id=location.id, provider=self._name, fetched_at=fetched_at, points=points
        )


# --- geocoding ------------------------------------------------------------------------------------


class OpenMeteoGeocoder:
    """The `Geocoder`: Open-Meteo's place search (GeoNames), best match first."""

    def __init__(
        self,
        *,
        timeout_seconds: float,
        base_url: str = DEFAULT_GEOCODING_URL,
        api_key: str = "",
        language: str = "en",
        policy: ResiliencePolicy | None = None,
        session: requests.Session | None = None,
        name: str = "open-meteo-geocoding",
    ) -> None:
        self._url = base_url
        self._api_key = api_key
        self._language = language
        self._client = ProviderHttpClient(
            name, timeout_seconds=timeout_seconds, policy=policy, session=session
        )

    @property
    def client(self) -> ProviderHttpClient:
        return self._client

    def search(self, name: str, count: int) -> Sequence[Place]:
        count = max(1, min(count, GEOCODING_MAX_COUNT))
        params = {"name": name, "count": str(count), "language": self._language, "format": "json"}
        places = self._client.call(
            self._url, params=_with_key(params, self._api_key), parse=_places, locations=0
        )[:count]
        logger.info(
            "Geocoding %r found %s",
            name,
            _found(places),
            extra={"query": name, "places": len(places)},
        )
        return places


def _found(places: Sequence[Place]) -> str:
    """What a search found, for the log: ``3 places, best Paris (Île-de-France, FR)``."""
    if not places:
        return "no place"
    best = places[0]
    where = ", ".join(part for part in (best.admin1, best.country_code) if part)
    count = "1 place" if len(places) == 1 else f"{len(places)} places"
    return f"{count}, best {best.name}" + (f" ({where})" if where else "")


def _places(answer: HttpAnswer) -> list[Place]:
    """Nothing matched: the API leaves `results` out entirely (not an empty array)."""
    body = as_object(answer.body, "answer")
    if "results" not in body:
        return []
    places = []
    for index, entry in enumerate(as_list(body["results"], "results")):
        path = f"results[{index}]"
        result = as_object(entry, path)
        try:
            place = Place(
                name=text(member(result, "name", path), f"{path}.name"),
                coordinates=Coordinates(
                    number(member(result, "latitude", path), f"{path}.latitude"),
                    number(member(result, "longitude", path), f"{path}.longitude"),
                ),
                country_code=optional_text(result.get("country_code"), f"{path}.country_code"),
                admin1=optional_text(result.get("admin1"), f"{path}.admin1"),
                elevation=optional_number(result.get("elevation"), f"{path}.elevation"),
                timezone=optional_text(result.get("timezone"), f"{path}.timezone"),
                population=optional_integer(result.get("population"), f"{path}.population"),
            )
        except InvalidInput as error:
            # One odd entry (say, a country code that is not ISO) must not spoil the search.
            logger.warning("Skipped geocoding result %s: %s", path, error)
            continue
        places.append(place)
    return places


# --- archive --------------------------------------------------------------------------------------


class OpenMeteoArchive:
    """The `HistoryProvider`: hourly reanalysis readings, in UTC days, a chunk per request.

    The archive lags real time by a few days; hours it has not computed yet come back as `null`
    in every series, and are left out rather than stored as empty readings.
    """

    def __init__(
        self,
        *,
        timeout_seconds: float,
        base_url: str = DEFAULT_ARCHIVE_URL,
        api_key: str = "",
        chunk_days: int = ARCHIVE_CHUNK_DAYS,
        policy: ResiliencePolicy | None = None,
        session: requests.Session | None = None,
        clock: Clock | None = None,
        name: str = "open-meteo-archive",
    ) -> None:
        if chunk_days < 1:
            raise ValueError("chunk_days must be at least 1.")
        self._name = name
        self._url = base_url
        self._api_key = api_key
        self._chunk_days = chunk_days
        self._clock: Clock = clock if clock is not None else WallClock()
        self._client = ProviderHttpClient(
            name, timeout_seconds=timeout_seconds, policy=policy, session=session
        )

    @property
    def name(self) -> str:
        return self._name

    @property
    def client(self) -> ProviderHttpClient:
        return self._client

    def fetch_history(self, location: Location, start: date, end: date) -> Sequence[Observation]:
        readings: list[Observation] = []
        chunk_start = start
        while chunk_start <= end:
            chunk_end = min(chunk_start + timedelta(days=self._chunk_days - 1), end)
            readings.extend(self._fetch_chunk(location, chunk_start, chunk_end))
            chunk_start = chunk_end + timedelta(days=1)
        return readings

    def _fetch_chunk(self, location: Location, start: date, end: date) -> list[Observation]:
        params = {
            "latitude": _coordinate(location.coordinates.latitude),
            "longitude": _coordinate(location.coordinates.longitude),
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "hourly": _names(ARCHIVE_VARIABLES),
            "timezone": "GMT",  # the port speaks of UTC days
            **_UNIT_PARAMS,
        }
        fetched_at = self._clock.now()
        first = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
        after_last = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=UTC)

        def parse(answer: HttpAnswer) -> list[Observation]:
            payload = as_object(answer.body, "answer")
            series = _checked_series(payload, "hourly", ARCHIVE_VARIABLES, "answer")
            if series is None:
                raise MalformedPayload("answer.hourly is missing")
            zone = _answer_zone(payload, "answer")
            readings = []
            instants = series.instants(zone)
            for observed_at, values in zip(instants, series.rows(ARCHIVE_VARIABLES), strict=True):
                if not first <= observed_at < after_last or all(
                    value is None for value in values.values()
                ):
                    continue
                readings.append(
                    Observation(
                        location_id=location.id,
                        observed_at=observed_at,
                        provider=self._name,
                        fetched_at=fetched_at,
                        **values,  # type: ignore[arg-type]
                    )
                )
            return readings

        return self._client.call(
            self._url, params=_with_key(params, self._api_key), parse=parse, locations=1
        )
