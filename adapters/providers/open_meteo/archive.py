"""`OpenMeteoArchive`, the `HistoryProvider`: hourly reanalysis readings from Open-Meteo's
archive API, in UTC days, one request per chunk of days.

It reads the same `hourly` block as the forecast (`series`), with the current conditions'
variables (`variables.ARCHIVE_VARIABLES`), and keeps only the hours of the days asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Final

import requests

from adapters.providers.http import (
    HttpAnswer,
    MalformedPayload,
    ProviderHttpClient,
    ResiliencePolicy,
)
from adapters.providers.open_meteo.series import answer_zone, checked_series
from adapters.providers.open_meteo.variables import ARCHIVE_VARIABLES, UNIT_PARAMS, names, with_key
from adapters.providers.payloads import as_object
from adapters.providers.query import coordinate
from application.ports.clock import Clock
from domain.locations import Location
from domain.observations import Observation

DEFAULT_ARCHIVE_URL: Final = "https://archive-api.open-meteo.com/v1/archive"
ARCHIVE_CHUNK_DAYS: Final = 31


class OpenMeteoArchive:
    """The `HistoryProvider`: hourly reanalysis readings, in UTC days, a chunk per request.

    The archive lags real time by a few days; hours it has not computed yet come back as `null`
    in every series, and are left out rather than stored as empty readings.
    """

    def __init__(
        self,
        *,
        timeout_seconds: float,
        clock: Clock,
        base_url: str = DEFAULT_ARCHIVE_URL,
        api_key: str = "",
        chunk_days: int = ARCHIVE_CHUNK_DAYS,
        policy: ResiliencePolicy | None = None,
        session: requests.Session | None = None,
        name: str = "open-meteo-archive",
    ) -> None:
        if chunk_days < 1:
            raise ValueError("chunk_days must be at least 1.")
        self._name = name
        self._url = base_url
        self._api_key = api_key
        self._chunk_days = chunk_days
        self._clock = clock
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
            "latitude": coordinate(location.coordinates.latitude),
            "longitude": coordinate(location.coordinates.longitude),
            "start_date": start.isoformat(),
            "end_date": end.isoformat(),
            "hourly": names(ARCHIVE_VARIABLES),
            "timezone": "GMT",  # the port speaks of UTC days
            **UNIT_PARAMS,
        }
        fetched_at = self._clock.now()
        first = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
        after_last = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=UTC)

        def parse(answer: HttpAnswer) -> list[Observation]:
            payload = as_object(answer.body, "answer")
            series = checked_series(payload, "hourly", ARCHIVE_VARIABLES, "answer")
            if series is None:
                raise MalformedPayload("answer.hourly is missing")
            zone = answer_zone(payload, "answer")
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
            self._url, params=with_key(params, self._api_key), parse=parse, locations=1
        )
