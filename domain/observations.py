"""Observations: one reading of the weather at a location, at a UTC instant, from one provider.

A reading is identified by (location, instant, provider): two providers may describe the same hour
differently and both are kept, but the same provider never gives the same hour twice — the
fresher fetch wins (see `deduplicate`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

import attrs

from domain.errors import InvalidInput
from domain.readings import (
    amount_reading,
    celsius_reading,
    degrees_reading,
    optional_reading,
    optional_weather_code,
    percent_reading,
)
from domain.timekeeping import require_utc, to_utc
from domain.weather_codes import condition_for


def _provider_name(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput("provider", "must name the provider.")
    return value.strip()


def _optional_bool(
    _instance: object, attribute: attrs.Attribute[bool | None], value: bool | None
) -> None:
    if value is not None and not isinstance(value, bool):
        raise InvalidInput(attribute.name, "must be true, false or missing.")


@attrs.frozen
class ObservationKey:
    """What makes two readings the same reading."""

    location_id: uuid.UUID
    observed_at: datetime
    provider: str


@attrs.frozen(kw_only=True)
class Observation:
    """The weather at one instant; every metric is optional because providers omit some.

    Units: °C, % , hPa, km/h, degrees, mm. `observed_at` is when the weather was like this,
    `fetched_at` when we learnt it.
    """

    location_id: uuid.UUID
    observed_at: datetime = attrs.field(converter=to_utc, validator=require_utc)
    provider: str = attrs.field(converter=_provider_name)
    fetched_at: datetime = attrs.field(converter=to_utc, validator=require_utc)
    temperature: float | None = celsius_reading()
    apparent_temperature: float | None = celsius_reading()
    relative_humidity: float | None = percent_reading()
    dew_point: float | None = celsius_reading()
    pressure: float | None = optional_reading(minimum=0.0)
    wind_speed: float | None = amount_reading()
    wind_direction: float | None = degrees_reading()
    wind_gusts: float | None = amount_reading()
    precipitation: float | None = amount_reading()
    cloud_cover: float | None = percent_reading()
    weather_code: int | None = optional_weather_code()
    is_day: bool | None = attrs.field(default=None, validator=_optional_bool)

    @property
    def key(self) -> ObservationKey:
        return ObservationKey(self.location_id, self.observed_at, self.provider)

    @property
    def condition(self) -> str | None:
        """The English wording of `weather_code`."""
        return condition_for(self.weather_code)

    @property
    def measurements(self) -> tuple[float | int | bool | None, ...]:
        """The metric values alone, without identity or fetch time."""
        return tuple(getattr(self, name) for name in _MEASUREMENT_FIELDS)

    def is_news_against(self, stored: Observation | None) -> bool:
        """Whether storing this reading over `stored` (same key) tells anything new.

        A refetch that repeats the stored values is not news, however late it was fetched;
        skipping it keeps counts honest and spares alert rules a second look.
        """
        return stored is None or stored.measurements != self.measurements


_MEASUREMENT_FIELDS = tuple(
    field.name
    for field in attrs.fields(Observation)
    if field.name not in {"location_id", "observed_at", "provider", "fetched_at"}
)


def deduplicate(readings: Iterable[Observation]) -> list[Observation]:
    """One reading per (location, instant, provider), the most recently fetched one, oldest first.

    Providers repeat the current hour on every call; storing each repetition would count the same
    weather several times in daily summaries.
    """
    latest: dict[ObservationKey, Observation] = {}
    for reading in readings:
        kept = latest.get(reading.key)
        if kept is None or reading.fetched_at >= kept.fetched_at:
            latest[reading.key] = reading
    return sorted(latest.values(), key=lambda reading: (reading.observed_at, reading.provider))
