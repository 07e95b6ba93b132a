"""Mappers between the ORM's rows and the domain's objects: the only place that knows both.

Rows become domain objects through the domain's own constructors, so a row that somehow broke an
invariant fails loudly here instead of travelling further. Optional text is stored as "" (Django's
convention for string columns) and is ``None`` in the domain. User accounts are foreign keys
in rows (integers, for Django's default user model) and their primary key as text in the domain
(`AlertRule.owner_id`, `Location.created_by`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.core.exceptions import ValidationError

from adapters.persistence import models
from domain.alerts import Alert, AlertRule, Metric, Operator
from domain.errors import InvalidInput
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


def account_key(account_id: str, field: str = "owner_id") -> Any:
    """A domain account id as the user model's primary key; `InvalidInput` naming `field` when
    it cannot be one (the core takes any text, a user table does not)."""
    try:
        # A foreign key converts as the primary key it refers to does.
        return models.AlertRule.owner.field.to_python(account_id)
    except ValidationError:
        raise InvalidInput(field, "must be the id of a user account.") from None


def account_id(key: object) -> str | None:
    """A user's primary key as the domain names accounts, or None."""
    return None if key is None else str(key)


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
        created_by_id=(
            None if location.created_by is None else account_key(location.created_by, "created_by")
        ),
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
        created_by=account_id(row.created_by_id),
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


def forecast_to_row(forecast: HourlyForecast | DailyForecast, kind: str) -> models.Forecast:
    """A forecast as one row; its points as ``{"columns": [...], "rows": [[...], ...]}``, hourly
    times as unix seconds, dates and daily instants as ISO 8601 text.

    Written for speed as much as clarity: a refresh of 1,000 locations maps 384,000 points.
    """
    if isinstance(forecast, HourlyForecast):
        read = attrgetter(*HOURLY_VALUES)
        # Hours as unix seconds: cheaper to write and to read back than ISO text, 384 times over.
        columns = ["time", *HOURLY_VALUES]
        rows = [[int(point.time.timestamp()), *read(point)] for point in forecast.points]
    else:
        read = attrgetter(*DAILY_VALUES)
        columns = ["date", *DAILY_VALUES]
        rows = [[point.date.isoformat(), *read(point)] for point in forecast.points]
        instants = [columns.index(name) for name in ("sunrise", "sunset")]
        for row in rows:  # sunrise and sunset are instants: ISO strings in JSON
            for column in instants:
                if row[column] is not None:
                    row[column] = row[column].isoformat()
    return models.Forecast(
        location_id=forecast.location_id,
        kind=kind,
        provider=forecast.provider,
        fetched_at=forecast.fetched_at,
        points={"columns": columns, "rows": rows},
    )


def hourly_forecast_from_row(row: models.Forecast) -> HourlyForecast:
    return HourlyForecast(
        location_id=row.location_id,
        provider=row.provider,
        fetched_at=row.fetched_at,
        points=tuple(
            HourlyPoint(time=datetime.fromtimestamp(fields.pop("time"), UTC), **fields)
            for fields in _point_fields(row.points)
        ),
    )


def daily_forecast_from_row(row: models.Forecast) -> DailyForecast:
    points = []
    for fields in _point_fields(row.points):
        day = date.fromisoformat(fields.pop("date"))
        for instant in ("sunrise", "sunset"):
            if fields.get(instant) is not None:
                fields[instant] = datetime.fromisoformat(fields[instant])
        points.append(DailyPoint(date=day, **fields))
    return DailyForecast(
        location_id=row.location_id,
        provider=row.provider,
        fetched_at=row.fetched_at,
        points=tuple(points),
    )


def _point_fields(document: Any) -> Iterator[dict[str, Any]]:
    columns = document["columns"]
    for values in document["rows"]:
        yield dict(zip(columns, values, strict=True))


# --- alerts --------------------------------------------------------------------------------------


def rule_to_row(rule: AlertRule) -> models.AlertRule:
    return models.AlertRule(
        id=rule.id,
        owner_id=account_key(rule.owner_id),
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
        owner_id=str(row.owner_id),
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
        delivery_error=alert.delivery_error or "",
    )


def alert_delivery_fields(alert: Alert) -> dict[str, object]:
    """The columns of an alert that change after it was raised (its delivery), for updates."""
    return {"delivered": alert.delivered, "delivery_error": alert.delivery_error or ""}


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
        delivery_error=row.delivery_error or None,
    )
