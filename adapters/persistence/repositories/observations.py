"""`DjangoObservationRepository`: the `ObservationRepository` port over ``weather_observation``.

Readings are upserted by their key ``(location, observed_at, provider)``: one multi-row
``INSERT … ON CONFLICT`` per `BATCH_SIZE` rows, or on PostgreSQL from `COPY_THRESHOLD` readings on,
``COPY`` into a staging table and one ``INSERT … SELECT``. The SQL below is built from this
module's constants and the mappers' column names only; values always travel as parameters.
"""

from __future__ import annotations

import csv
import functools
import io
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import connections
from django.db import models as django_models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Avg, Count, Max, Min, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import TruncDate

from adapters.persistence import mappers, models
from adapters.persistence.repositories.paging import page_of
from adapters.persistence.session import Session
from application.pagination import Page, PageRequest
from domain.aggregation import DailySummary
from domain.observations import Observation, ObservationKey

#: Rows per INSERT: enough to amortise the round trip, and under SQLite's limit of 32,766 bound
#: parameters (16 columns × 1,000 rows).
BATCH_SIZE = 1000

#: From this many readings on, PostgreSQL stores them through COPY (see `_upsert_through_copy`);
#: below it, one multi-row INSERT is a single round trip and cheaper than COPY's four.
COPY_THRESHOLD = 500
_STAGING = "weather_observation_incoming"
_COLUMNS = ", ".join(mappers.OBSERVATION_COLUMNS)
_UPDATES = ", ".join(f"{c} = EXCLUDED.{c}" for c in ("fetched_at", *mappers.OBSERVATION_VALUES))
# Identifiers only, all of them this module's constants: nothing in these comes from input.
_CREATE_STAGING = (
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGING} ON COMMIT DELETE ROWS AS "  # noqa: S608
    f"SELECT {_COLUMNS} FROM weather_observation WITH NO DATA"
)
_COPY_INTO_STAGING = f"COPY {_STAGING} ({_COLUMNS}) FROM STDIN WITH (FORMAT csv)"
_VALUES = ", ".join(f"weather_observation.{c}" for c in mappers.OBSERVATION_VALUES)
_INCOMING = ", ".join(f"EXCLUDED.{c}" for c in mappers.OBSERVATION_VALUES)
#: A stored reading is rewritten only when its values change (null-safe, in each database's
#: spelling): a repeat, even a concurrent one, leaves the row alone and is not counted.
_CHANGED = {
    "postgresql": f"({_VALUES}) IS DISTINCT FROM ({_INCOMING})",
    "sqlite": f"({_VALUES}) IS NOT ({_INCOMING})",
}
_ON_CONFLICT = "ON CONFLICT (location_id, observed_at, provider) DO UPDATE SET " + _UPDATES
_UPSERT_FROM_STAGING = (
    f"INSERT INTO weather_observation ({_COLUMNS}) SELECT {_COLUMNS} FROM {_STAGING} "  # noqa: S608
    f"{_ON_CONFLICT} WHERE {_CHANGED['postgresql']}"
)
#: (attribute of the reading, model field that prepares its value for the database), in order.
_OBSERVATION_FIELDS = [
    (column, cast("django_models.Field[Any, Any]", models.Observation._meta.get_field(column)))
    for column in mappers.OBSERVATION_COLUMNS
]


class DjangoObservationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    @functools.cached_property
    def _rows(self) -> QuerySet[models.Observation]:
        return models.Observation.objects.using(self._session.using)

    @property
    def _db(self) -> BaseDatabaseWrapper:
        return connections[self._session.using]

    def add_many(self, observations: Iterable[Observation]) -> int:
        """Insert or replace readings by key, in a fixed number of round trips per call; how many
        rows changed (readings new to the storage, or different from the stored ones).

        Idempotent: storing the same readings again changes nothing and counts nothing, and two
        processes storing the same reading at once leave one row, counted by one of them. Within
        one call the last reading of a key wins (the database would refuse to update one row twice
        in one statement).
        """
        latest = {observation.key: observation for observation in observations}
        if not latest:
            return 0
        readings = list(latest.values())
        with self._session.access():
            if self._db.vendor == "postgresql" and len(readings) >= COPY_THRESHOLD:
                return self._upsert_through_copy(readings)
            return self._upsert(readings)

    def _upsert(self, readings: Sequence[Observation]) -> int:
        """``INSERT … VALUES … ON CONFLICT DO UPDATE … WHERE changed``, one per `BATCH_SIZE` rows;
        the database's own row count is what changed."""
        db = self._db
        row = f"({', '.join(['%s'] * len(_OBSERVATION_FIELDS))})"
        changed = 0
        with db.cursor() as cursor:
            for start in range(0, len(readings), BATCH_SIZE):
                batch = readings[start : start + BATCH_SIZE]
                cursor.execute(
                    f"INSERT INTO weather_observation ({_COLUMNS}) "  # noqa: S608 - constants only
                    f"VALUES {', '.join([row] * len(batch))} "
                    f"{_ON_CONFLICT} WHERE {_CHANGED[db.vendor]}",
                    [
                        field.get_db_prep_save(getattr(reading, column), db)
                        for reading in batch
                        for column, field in _OBSERVATION_FIELDS
                    ],
                )
                changed += cursor.rowcount
        return changed

    def _upsert_through_copy(self, readings: Sequence[Observation]) -> int:
        """PostgreSQL's fast path: COPY into a temporary staging table, then one
        ``INSERT … SELECT … ON CONFLICT DO UPDATE``. Four round trips whatever the size; COPY
        skips building an ORM object and binding sixteen parameters per row."""
        buffer = io.StringIO()
        csv.writer(buffer).writerows(mappers.observation_to_copy_row(r) for r in readings)
        buffer.seek(0)
        with self._db.cursor() as cursor:
            cursor.execute(_CREATE_STAGING)
            cursor.copy_expert(_COPY_INTO_STAGING, buffer)
            cursor.execute(_UPSERT_FROM_STAGING)
            changed = int(cursor.rowcount)
            cursor.execute(f"TRUNCATE {_STAGING}")
        return changed

    def get_many(self, keys: Collection[ObservationKey]) -> Mapping[ObservationKey, Observation]:
        """One query on the key's index; the few rows that match on location and instant but
        not on the exact triple are dropped here."""
        if not keys:
            return {}
        wanted = set(keys)
        with self._session.access():
            rows = list(
                self._rows.filter(
                    location_id__in={key.location_id for key in wanted},
                    observed_at__in={key.observed_at for key in wanted},
                    provider__in={key.provider for key in wanted},
                )
            )
        found = (mappers.observation_from_row(row) for row in rows)
        return {reading.key: reading for reading in found if reading.key in wanted}

    def latest(self, location_id: uuid.UUID) -> Observation | None:
        with self._session.access():
            row = (
                self._rows.filter(location_id=location_id)
                .order_by("-observed_at", "-fetched_at")
                .first()
            )
        return None if row is None else mappers.observation_from_row(row)

    def latest_many(self, location_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Observation]:
        """Two queries on any database: each location's newest reading id by a correlated
        subquery (one backward index scan per location), then those readings. Neither is
        ordered: the models' default orders would sort both, and join the locations to the
        readings only to sort them by name."""
        if not location_ids:
            return {}
        newest = (
            self._rows.filter(location_id=OuterRef("pk"))
            .order_by("-observed_at", "-fetched_at")
            .values("pk")[:1]
        )
        with self._session.access():
            ids = (
                models.Location.objects.using(self._session.using)
                .filter(pk__in=list(location_ids))
                .order_by()
                .annotate(newest=Subquery(newest))
                .values_list("newest", flat=True)
            )
            rows = list(self._rows.filter(pk__in=[i for i in ids if i is not None]).order_by())
        return {row.location_id: mappers.observation_from_row(row) for row in rows}

    def history(
        self, location_id: uuid.UUID, start: datetime, end: datetime, page: PageRequest
    ) -> Page[Observation]:
        with self._session.access():
            return page_of(self._range(location_id, start, end), page, mappers.observation_from_row)

    def daily_summaries(
        self, location_id: uuid.UUID, timezone: str, start: datetime, end: datetime
    ) -> Sequence[DailySummary]:
        """Grouped by the database: PostgreSQL truncates ``observed_at AT TIME ZONE tz`` to a
        date, so DST days have their true 23 or 25 hours; on SQLite Django evaluates the same
        expression with its registered Python function, which uses zoneinfo too."""
        local_day = TruncDate("observed_at", tzinfo=ZoneInfo(timezone))
        with self._session.access():
            rows = list(
                self._range(location_id, start, end)
                .order_by()
                .annotate(day=local_day)
                .values("day")
                .annotate(
                    temperature_min=Min("temperature"),
                    temperature_max=Max("temperature"),
                    temperature_mean=Avg("temperature"),
                    precipitation_sum=Sum("precipitation"),
                    observation_count=Count("id"),
                )
                .order_by("day")
            )
        return [
            DailySummary(
                date=row["day"],
                temperature_min=row["temperature_min"],
                temperature_max=row["temperature_max"],
                temperature_mean=row["temperature_mean"],
                precipitation_sum=row["precipitation_sum"],
                observation_count=row["observation_count"],
            )
            for row in rows
        ]

    def remove_for_location(self, location_id: uuid.UUID) -> None:
        with self._session.access():
            self._rows.filter(location_id=location_id).delete()

    def _range(
        self, location_id: uuid.UUID, start: datetime, end: datetime
    ) -> QuerySet[models.Observation]:
        return self._rows.filter(
            location_id=location_id, observed_at__gte=start, observed_at__lt=end
        ).order_by("observed_at", "provider")
