"""Mappers between the ORM's rows and the domain's objects: the only place that knows both.

Rows become domain objects through the domain's own constructors, so a row that somehow broke an
invariant fails loudly here instead of travelling further. Optional text is stored as "" (Django's
convention for string columns) and is ``None`` in the domain.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from adapters.persistence import models
from domain.alerts import Alert, AlertRule, Metric, Operator
from domain.forecasts import DailyForecast, DailyPoint, HourlyForecast, HourlyPoint
from domain.locations import COORDINATE_DECIMALS, Coordinates, Location
from domain.observations import Observation

_QUANTUM = Decimal(1).scaleb(-COORDINATE_DECIMALS)

OBSERVATION_VALUES = (
    "temperature",
    "apparent_temperature",
    "relative_humidity",
    "dew_point",
    "pressure",
    "wind_speed",
    "wind_direction",
    "wind_gusts",
    "precipitation",
    "cloud_cover",
    "weather_code",
    "is_day",
)
HOURLY_VALUES = (
    "temperature",
    "apparent_temperature",
    "relative_humidity",
    "precipitation_probability",
    "precipitation",
    "wind_speed",
    "wind_direction",
    "weather_code",
)
DAILY_VALUES = (
    "temperature_min",
    "temperature_max",
    "precipitation_sum",
    "precipitation_probability_max",
    "wind_speed_max",
    "weather_code",
    "sunrise",
    "sunset",
)


def degrees(value: float) -> Decimal:
    """A coordinate as the exact decimal the unique index compares."""
    return Decimal(repr(value)).quantize(_QUANTUM)


# --- locations -----------------------------------------------------------------------------------


def location_to_row(location: Location) -> models.Location:
    return models.Location(
        id=location.id,
        name=location.name,
        latitude=degrees(location.coordinates.latitude),
        longitude=degrees(location.coordinates.longitude),
        timezone=location.timezone,
        country_code=location.country_code or "",
        admin1=location.admin1 or "",
        elevation=location.elevation,
        created_at=location.created_at,
        updated_at=location.updated_at,
    )


def location_from_row(row: models.Location) -> Location:
    return Location(
        id=row.id,
        name=row.name,
        coordinates=Coordinates(float(row.latitude), float(row.longitude)),
        timezone=row.timezone,
        country_code=row.country_code or None,
        admin1=row.admin1 or None,
        elevation=row.elevation,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


# --- observations --------------------------------------------------------------------------------


def observation_to_row(observation: Observation) -> models.Observation:
    return models.Observation(
        location_id=observation.location_id,
        observed_at=observation.observed_at,
        provider=observation.provider,
        fetched_at=observation.fetched_at,
        **{name: getattr(observation, name) for name in OBSERVATION_VALUES},
    )


#: The columns of a reading as the COPY fast path writes them, in order.
OBSERVATION_COLUMNS = ("location_id", "observed_at", "provider", "fetched_at", *OBSERVATION_VALUES)


def observation_to_copy_row(observation: Observation) -> list[object]:
    """A reading as one row of PostgreSQL's CSV COPY format: NULL is an empty field."""
    row: list[object] = []
    for column in OBSERVATION_COLUMNS:
        value = getattr(observation, column)
        if value is None:
            row.append("")
        elif isinstance(value, bool):
            row.append("t" if value else "f")
        elif isinstance(value, datetime):
            row.append(value.isoformat())
        else:
            row.append(value)
    return row


def observation_from_row(row: models.Observation) -> Observation:
    return Observation(
        location_id=row.location_id,
        observed_at=row.observed_at,
        provider=row.provider,
        fetched_at=row.fetched_at,
        **{name: getattr(row, name) for name in OBSERVATION_VALUES},
    )


# --- forecasts -----------------------------------------------------------------------------------


def hourly_points_to_rows(
    forecast: HourlyForecast, header: models.Forecast
) -> list[models.HourlyForecastPoint]:
    return [
        models.HourlyForecastPoint(
            forecast=header,
            time=point.time,
            **{name: getattr(point, name) for name in HOURLY_VALUES},
        )
        for point in forecast.points
    ]


def hourly_forecast_from_rows(
    header: models.Forecast, points: list[models.HourlyForecastPoint]
) -> HourlyForecast:
    return HourlyForecast(
        location_id=header.location_id,
        provider=header.provider,
        fetched_at=header.fetched_at,
        points=tuple(
            HourlyPoint(time=row.time, **{name: getattr(row, name) for name in HOURLY_VALUES})
            for row in points
        ),
    )


def daily_points_to_rows(
    forecast: DailyForecast, header: models.Forecast
) -> list[models.DailyForecastPoint]:
    return [
        models.DailyForecastPoint(
            forecast=header,
            date=point.date,
            **{name: getattr(point, name) for name in DAILY_VALUES},
        )
        for point in forecast.points
    ]


def daily_forecast_from_rows(
    header: models.Forecast, points: list[models.DailyForecastPoint]
) -> DailyForecast:
    return DailyForecast(
        location_id=header.location_id,
        provider=header.provider,
        fetched_at=header.fetched_at,
        points=tuple(
            DailyPoint(date=row.date, **{name: getattr(row, name) for name in DAILY_VALUES})
            for row in points
        ),
    )


# --- alerts --------------------------------------------------------------------------------------


def rule_to_row(rule: AlertRule) -> models.AlertRule:
    return models.AlertRule(
        id=rule.id,
        owner_id=rule.owner_id,
        location_id=rule.location_id,
        metric=rule.metric.value,
        operator=rule.operator.value,
        threshold=rule.threshold,
        webhook_url=rule.webhook_url or "",
        active=rule.active,
        created_at=rule.created_at,
        is_crossed=rule.is_crossed,
        last_observed_at=rule.last_observed_at,
    )


def rule_from_row(row: models.AlertRule) -> AlertRule:
    return AlertRule(
        id=row.id,
        owner_id=row.owner_id,
        location_id=row.location_id,
        metric=row.metric,
        operator=row.operator,
        threshold=row.threshold,
        webhook_url=row.webhook_url or None,
        active=row.active,
        created_at=row.created_at,
        is_crossed=row.is_crossed,
        last_observed_at=row.last_observed_at,
    )


def alert_to_row(alert: Alert) -> models.Alert:
    return models.Alert(
        id=alert.id,
        rule_id=alert.rule_id,
        owner_id=alert.owner_id,
        location_id=alert.location_id,
        metric=alert.metric.value,
        operator=alert.operator.value,
        threshold=alert.threshold,
        value=alert.value,
        observed_at=alert.observed_at,
        raised_at=alert.raised_at,
        delivered=alert.delivered,
    )


def alert_from_row(row: models.Alert) -> Alert:
    return Alert(
        id=row.id,
        rule_id=row.rule_id,
        owner_id=row.owner_id,
        location_id=row.location_id,
        metric=Metric(row.metric),
        operator=Operator(row.operator),
        threshold=row.threshold,
        value=row.value,
        observed_at=row.observed_at,
        raised_at=row.raised_at,
        delivered=row.delivered,
    )
