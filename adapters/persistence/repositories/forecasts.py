"""`DjangoForecastRepository`: the `ForecastRepository` port over ``weather_forecast``, one JSON
document per location and kind (docs/decisions/0001), replaced by one upsert per batch."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence

from django.db.models import QuerySet

from adapters.persistence import mappers, models
from adapters.persistence.session import Session
from domain.forecasts import DailyForecast, HourlyForecast

#: Forecasts per INSERT: each row carries a document of up to 384 points.
FORECAST_BATCH_SIZE = 100


class DjangoForecastRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    @functools.cached_property
    def _rows(self) -> QuerySet[models.Forecast]:
        return models.Forecast.objects.using(self._session.using)

    def save_many(self, hourly: Sequence[HourlyForecast], daily: Sequence[DailyForecast]) -> None:
        """One upsert on (location, kind) for the whole batch, points included.

        An upsert rather than delete-and-insert: two refreshes of one location at once then
        queue on the row's lock and the second simply wins, where a delete followed by an insert
        would collide on the unique key.
        """
        rows = [mappers.forecast_to_row(f, models.Forecast.HOURLY) for f in hourly] + [
            mappers.forecast_to_row(f, models.Forecast.DAILY) for f in daily
        ]
        if len({(row.location_id, row.kind) for row in rows}) != len(rows):
            raise ValueError("save_many takes at most one forecast of each kind per location")
        if not rows:
            return
        with self._session.access():
            self._rows.bulk_create(
                rows,
                batch_size=FORECAST_BATCH_SIZE,
                update_conflicts=True,
                unique_fields=["location", "kind"],
                update_fields=["provider", "fetched_at", "points"],
            )

    def hourly(self, location_id: uuid.UUID) -> HourlyForecast | None:
        with self._session.access():
            row = self._rows.filter(location_id=location_id, kind=models.Forecast.HOURLY).first()
        return None if row is None else mappers.hourly_forecast_from_row(row)

    def daily(self, location_id: uuid.UUID) -> DailyForecast | None:
        with self._session.access():
            row = self._rows.filter(location_id=location_id, kind=models.Forecast.DAILY).first()
        return None if row is None else mappers.daily_forecast_from_row(row)

    def remove_for_location(self, location_id: uuid.UUID) -> None:
        with self._session.access():
            self._rows.filter(location_id=location_id).delete()
