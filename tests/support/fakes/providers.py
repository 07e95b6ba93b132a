"""Fake weather, geocoding and archive providers with programmable answers and failures.

Readings are deterministic: by default every metric comes from `FakeWeatherProvider.metrics`,
and a test can give one location its own (`set_metrics`). `fail()` makes the provider raise
`ProviderUnavailable`, as a real one does on a timeout or a 5xx.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from application.ports.clock import Clock
from application.ports.providers import WeatherReport
from domain.aggregation import local_day_bounds
from domain.errors import ProviderUnavailable
from domain.forecasts import DailyForecast, DailyPoint, HourlyForecast, HourlyPoint
from domain.locations import Location, Place
from domain.observations import Observation

Metrics = dict[str, float | int | bool | None]

DEFAULT_METRICS: Metrics = {
    "temperature": 18.5,
    "apparent_temperature": 18.5,
    "relative_humidity": 78.0,
    "pressure": 1017.0,
    "wind_speed": 10.8,
    "wind_direction": 90.0,
    "precipitation": 0.0,
    "cloud_cover": 100.0,
    "weather_code": 3,
    "is_day": True,
}


class FakeWeatherProvider:
    """Answers for any locations; readings are stamped at the clock's current quarter hour."""

    def __init__(
        self,
        clock: Clock,
        *,
        name: str = "fake-weather",
        max_batch_size: int = 50,
        forecast_hours: int = 48,
        forecast_days: int = 7,
    ) -> None:
        self._clock = clock
        self._name = name
        self._max_batch_size = max_batch_size
        self.forecast_hours = forecast_hours
        self.forecast_days = forecast_days
        self.metrics: Metrics = dict(DEFAULT_METRICS)
        self.metrics_by_location: dict[uuid.UUID, Metrics] = {}
        self.calls: list[list[uuid.UUID]] = []
        self._failure: str | None = None
        self._failing_for: set[uuid.UUID] = set()

    @property
    def name(self) -> str:
        return self._name

    @property
    def max_batch_size(self) -> int:
        return self._max_batch_size

    def fail(self, reason: str = "timed out", *, for_locations: Sequence[uuid.UUID] = ()) -> None:
        """Fail every call, or only calls that include one of `for_locations`."""
        if for_locations:
            self._failing_for.update(for_locations)
        else:
            self._failure = reason

    def recover(self) -> None:
        self._failure = None
        self._failing_for.clear()

    def set_metrics(self, location_id: uuid.UUID, **metrics: float | int | bool | None) -> None:
        """Override metrics for one location (`None` drops a metric from its readings)."""
        self.metrics_by_location.setdefault(location_id, {}).update(metrics)

    def fetch(self, locations: Sequence[Location]) -> Sequence[WeatherReport]:
        self.calls.append([location.id for location in locations])
        if self._failure is not None:
            raise ProviderUnavailable(self._name, self._failure)
        if self._failing_for.intersection(location.id for location in locations):
            raise ProviderUnavailable(self._name, "answered 500 for this batch")
        if len(locations) > self._max_batch_size:
            raise ProviderUnavailable(self._name, "too many locations in one request")
        return [self._report(location) for location in locations]

    def _report(self, location: Location) -> WeatherReport:
        now = self._clock.now()
        metrics = {**self.metrics, **self.metrics_by_location.get(location.id, {})}
        observed_at = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
        current = Observation(
            location_id=location.id,
            observed_at=observed_at,
            provider=self._name,
            fetched_at=now,
            **metrics,  # type: ignore[arg-type]
        )
        first_hour = now.replace(minute=0, second=0, microsecond=0)
        hourly = HourlyForecast(
            location_id=location.id,
            provider=self._name,
            fetched_at=now,
            points=[
                HourlyPoint(
                    time=first_hour + timedelta(hours=offset),
                    temperature=_number(metrics.get("temperature")),
                    precipitation_probability=10.0,
                    weather_code=_code(metrics.get("weather_code")),
                )
                for offset in range(self.forecast_hours)
            ],
        )
        today = now.astimezone(ZoneInfo(location.timezone)).date()
        daily = DailyForecast(
            location_id=location.id,
            provider=self._name,
            fetched_at=now,
            points=[
                DailyPoint(
                    date=today + timedelta(days=offset),
                    temperature_min=10.0,
                    temperature_max=20.0,
                    precipitation_sum=1.0,
                    weather_code=_code(metrics.get("weather_code")),
                )
                for offset in range(self.forecast_days)
            ],
        )
        return WeatherReport(location_id=location.id, current=current, hourly=hourly, daily=daily)


def _number(value: float | int | bool | None) -> float | None:
    return None if value is None or isinstance(value, bool) else float(value)


def _code(value: float | int | bool | None) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class FakeGeocoder:
    """Finds the given places whose name contains the query (case-insensitive)."""

    def __init__(self, places: Sequence[Place] = ()) -> None:
        self.places = list(places)
        self._failure: str | None = None

    def fail(self, reason: str = "timed out") -> None:
        self._failure = reason

    def search(self, name: str, count: int) -> Sequence[Place]:
        if self._failure is not None:
            raise ProviderUnavailable("fake-geocoder", self._failure)
        matches = [place for place in self.places if name.casefold() in place.name.casefold()]
        return matches[:count]


class FakeHistoryProvider:
    """One reading per whole UTC hour of the asked local days of the location (24 a day, 23 or
    25 when its clocks change), as the archive gives them; temperature follows the local hour.

    `leave_out_from(instant)` makes it answer as an archive that has not computed the hours
    from `instant` on yet: they are left out, not given as empty readings.
    """

    def __init__(self, *, name: str = "fake-archive") -> None:
        self._name = name
        self.calls: list[tuple[uuid.UUID, date, date]] = []
        self._failure: str | None = None
        self._computed_until: datetime | None = None

    @property
    def name(self) -> str:
        return self._name

    def fail(self, reason: str = "timed out") -> None:
        self._failure = reason

    def recover(self) -> None:
        self._failure = None

    def leave_out_from(self, instant: datetime) -> None:
        self._computed_until = instant

    def fetch_history(self, location: Location, start: date, end: date) -> Sequence[Observation]:
        self.calls.append((location.id, start, end))
        if self._failure is not None:
            raise ProviderUnavailable(self._name, self._failure)
        since, _ = local_day_bounds(start, location.timezone)
        _, until = local_day_bounds(end, location.timezone)
        fetched_at = until + timedelta(days=1)
        if self._computed_until is not None:
            until = min(until, self._computed_until)
        first = since.replace(minute=0, second=0, microsecond=0)
        if first < since:  # a local midnight off the whole hour (UTC+05:30, say)
            first += timedelta(hours=1)
        zone = ZoneInfo(location.timezone)
        readings = []
        observed_at = first
        while observed_at < until:
            readings.append(
                Observation(
                    location_id=location.id,
                    observed_at=observed_at,
                    provider=self._name,
                    fetched_at=fetched_at,
                    temperature=float(observed_at.astimezone(zone).hour),
                    precipitation=0.5,
                )
            )
            observed_at += timedelta(hours=1)
        return readings
