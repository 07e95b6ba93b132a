"""`OpenMeteoProvider`, the preferred `WeatherProvider`: Open-Meteo's forecast API, current
conditions, hourly and daily forecast in one call for up to 100 locations.

What lives here: the request (one zone per location, so daily dates are its local days) and the
mapping of each location's answer to domain objects. Reading the answer's blocks is `series`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Final

import requests

from adapters.providers.http import (
    HttpAnswer,
    MalformedPayload,
    ProviderHttpClient,
    ResiliencePolicy,
)
from adapters.providers.open_meteo.series import (
    answer_zone,
    block_units,
    check_time_unit,
    checked_series,
    read_instant,
    read_local_date,
    step_readings,
)
from adapters.providers.open_meteo.variables import (
    CURRENT_VARIABLES,
    DAILY_INSTANTS,
    DAILY_VARIABLES,
    HOURLY_VARIABLES,
    UNIT_PARAMS,
    calls_per_location,
    names,
    with_key,
)
from adapters.providers.payloads import as_list, as_object, member
from adapters.providers.query import coordinate
from application.ports.clock import Clock
from application.ports.providers import WeatherReport
from domain.forecasts import DailyForecast, DailyPoint, HourlyForecast
from domain.locations import Location
from domain.observations import Observation

DEFAULT_FORECAST_URL: Final = "https://api.open-meteo.com/v1/forecast"
MAX_LOCATIONS_PER_REQUEST: Final = 100
MAX_FORECAST_DAYS: Final = 16
"""The contract serves up to 384 hours and 16 days of forecast, the API's maximum."""


class OpenMeteoProvider:
    """The preferred `WeatherProvider`: current conditions, hourly and daily forecast for up to
    100 locations per request, so refreshing a thousand locations takes ten calls."""

    def __init__(
        self,
        *,
        timeout_seconds: float,
        clock: Clock,
        base_url: str = DEFAULT_FORECAST_URL,
        api_key: str = "",
        forecast_days: int = MAX_FORECAST_DAYS,
        max_batch_size: int = MAX_LOCATIONS_PER_REQUEST,
        policy: ResiliencePolicy | None = None,
        session: requests.Session | None = None,
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
        self._clock = clock
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
    def calls_per_location(self) -> float:
        """What Open-Meteo counts for each location of one of these requests (the rate budget
        weighs a call with it): 28 variables over 16 days are 3.2 calls a location."""
        variables = (
            len(CURRENT_VARIABLES)
            + len(HOURLY_VARIABLES)
            + len(DAILY_VARIABLES)
            + len(DAILY_INSTANTS)
        )
        return calls_per_location(variables, self._forecast_days)

    @property
    def client(self) -> ProviderHttpClient:
        """Exposed for operations and tests (the breaker's state)."""
        return self._client

    def fetch(self, locations: Sequence[Location]) -> Sequence[WeatherReport]:
        """One request for all of `locations`, at most `max_batch_size` of them: the refresh
        pipeline cuts its batches by that limit (``application/refresh/chain.py``), so cutting
        is decided there and nowhere else."""
        if not locations:
            return []
        if len(locations) > self._max_batch_size:
            raise ValueError(
                f"{len(locations)} locations asked in one call; this provider takes at most "
                f"{self._max_batch_size}."
            )
        return self._fetch_batch(locations)

    def _fetch_batch(self, batch: Sequence[Location]) -> list[WeatherReport]:
        zones = [location.timezone for location in batch]
        params = {
            "latitude": ",".join(coordinate(loc.coordinates.latitude) for loc in batch),
            "longitude": ",".join(coordinate(loc.coordinates.longitude) for loc in batch),
            "current": names(CURRENT_VARIABLES),
            "hourly": names(HOURLY_VARIABLES),
            "daily": names(DAILY_VARIABLES, *DAILY_INSTANTS),
            # One zone per location (comma-separated), so daily dates are its local days.
            "timezone": zones[0] if len(set(zones)) == 1 else ",".join(zones),
            "forecast_days": str(self._forecast_days),
            **UNIT_PARAMS,
        }
        fetched_at = self._clock.now()
        return self._client.call(
            self._url,
            params=with_key(params, self._api_key),
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
        instants: dict[int, datetime] = {}  # the answer's hours, shared by its locations
        return [
            self._report(
                as_object(payload, f"[{index}]"), location, fetched_at, f"[{index}]", instants
            )
            for index, (payload, location) in enumerate(zip(payloads, batch, strict=True))
        ]

    def _report(
        self,
        payload: Mapping[str, object],
        location: Location,
        fetched_at: datetime,
        path: str,
        instants: dict[int, datetime],
    ) -> WeatherReport:
        zone = answer_zone(payload, path)
        return WeatherReport(
            location_id=location.id,
            current=self._current(payload, location, fetched_at, zone, path),
            hourly=self._hourly(payload, location, fetched_at, zone, path, instants),
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
        units = block_units(payload, "current", path)
        check_time_unit(units, f"{path}.current_units")
        observed_at = read_instant(member(data, "time", f"{path}.current"), zone, f"{path}.current")
        readings = step_readings(data, units, CURRENT_VARIABLES, f"{path}.current")
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
        instants: dict[int, datetime],
    ) -> HourlyForecast | None:
        series = checked_series(payload, "hourly", HOURLY_VARIABLES, path)
        if series is None:
            return None
        # Column by column: the domain checks each whole column and builds the points from it.
        return HourlyForecast.from_columns(
            location_id=location.id,
            provider=self._name,
            fetched_at=fetched_at,
            times=series.instants(zone, instants),
            columns=series.readings(HOURLY_VARIABLES),
        )

    def _daily(
        self,
        payload: Mapping[str, object],
        location: Location,
        fetched_at: datetime,
        zone: tzinfo,
        path: str,
    ) -> DailyForecast | None:
        series = checked_series(payload, "daily", DAILY_VARIABLES, path, DAILY_INSTANTS)
        if series is None:
            return None
        rows = series.rows(DAILY_VARIABLES)
        points = [
            DailyPoint(
                date=read_local_date(day, zone, f"{series.path}.time[{index}]"),
                sunrise=series.instant(index, "sunrise", zone),
                sunset=series.instant(index, "sunset", zone),
                **rows[index],  # type: ignore[arg-type]
            )
            for index, day in enumerate(series.times)
        ]
        return DailyForecast(
            location_id=location.id, provider=self._name, fetched_at=fetched_at, points=points
        )
