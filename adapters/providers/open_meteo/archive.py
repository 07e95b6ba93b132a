"""`OpenMeteoArchive`, the `HistoryProvider`: hourly reanalysis readings from Open-Meteo's
archive API for the location's local days, one request per chunk of days.

It reads the same `hourly` block as the forecast (`series`), with the current conditions'
variables (`variables.ARCHIVE_VARIABLES`).

Local days, asked in UTC. The port speaks of the location's calendar days (Paris's 25 October
2026 is 25 hours, from 22:00 UTC on the 24th). The archive takes `start_date`/`end_date` and a
`timezone`, but a named zone does not give those days: the API resolves it to one UTC offset,
the one valid at the time of the request, and applies it to the whole series, with no DST change
inside (its maintainers say so and recommend GMT for long series: open-meteo/open-meteo#261,
#1255, #1764). Asked in November for Paris's summer days, it would answer 23:00 to 23:00 UTC
where the days run 22:00 to 22:00, and a range across the October change would lose or gain an
hour at one end. So each chunk asks with `timezone=GMT` for the UTC dates that cover its local
days (one more than the local days, as local midnight is rarely UTC's) and keeps only the hours
from the first local midnight to the one after the last day, through `zoneinfo`
(`domain.aggregation.local_day_bounds`). Each request costs at most a day of extra hours, and the
number of requests stays one per chunk. The instants it keeps are the answer's unix seconds,
UTC as asked, so nothing is converted at all.

No UTC date after the clock's is asked for: an archive has no hour after now, and west of
Greenwich the UTC dates covering the location's today reach into UTC's tomorrow.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, timedelta
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
from domain.aggregation import local_day_bounds
from domain.locations import Location
from domain.observations import Observation

DEFAULT_ARCHIVE_URL: Final = "https://archive-api.open-meteo.com/v1/archive"
ARCHIVE_CHUNK_DAYS: Final = 31
_LAST_INSTANT: Final = timedelta(microseconds=1)
"""From the end of a half-open span back to the last instant inside it."""


class OpenMeteoArchive:
    """The `HistoryProvider`: hourly reanalysis readings of the location's local days, a chunk
    of `chunk_days` local days per request (see the module docstring for how they are asked).

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
        first, _ = local_day_bounds(start, location.timezone)
        _, after_last = local_day_bounds(end, location.timezone)
        fetched_at = self._clock.now()
        first_date = first.date()
        last_date = min((after_last - _LAST_INSTANT).date(), fetched_at.astimezone(UTC).date())
        if last_date < first_date:  # the local days have not begun yet
            return []
        params = {
            "latitude": coordinate(location.coordinates.latitude),
            "longitude": coordinate(location.coordinates.longitude),
            "start_date": first_date.isoformat(),
            "end_date": last_date.isoformat(),
            "hourly": names(ARCHIVE_VARIABLES),
            "timezone": "GMT",  # UTC dates: a named zone would shift by one offset for all
            **UNIT_PARAMS,
        }

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
