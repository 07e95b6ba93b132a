"""Django ORM repositories: one per port of ``application/ports/repositories.py``.

Each method is a fixed number of set-based queries whatever the number of rows (the query-count
tests hold them to it): a list is one ``LIMIT/OFFSET`` page plus a ``COUNT``, a bulk write is one
``INSERT … ON CONFLICT`` per batch, a forecast is replaced by a delete and a bulk insert.
Rows cross the boundary only through ``mappers``; every database access goes through the
unit of work's ``Session``, which opens its transaction and turns errors into the domain's.
"""

from __future__ import annotations

import csv
import functools
import io
import uuid
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from django.db import connections
from django.db import models as django_models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Avg, Count, Max, Min, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Lower, TruncDate

from adapters.persistence import mappers, models
from adapters.persistence.session import Session
from application.pagination import Page, PageRequest
from domain.aggregation import DailySummary
from domain.alerts import Alert, AlertRule
from domain.forecasts import DailyForecast, HourlyForecast
from domain.locations import Coordinates, Location
from domain.observations import Observation, ObservationKey

Row = TypeVar("Row", bound=django_models.Model)
Item = TypeVar("Item")

#: Rows per INSERT: enough to amortise the round trip, and under SQLite's limit of 32,766 bound
#: parameters (16 columns × 1,000 rows).
BATCH_SIZE = 1000

#: Forecasts per INSERT: each row carries a document of up to 384 points.
FORECAST_BATCH_SIZE = 100

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


def _page(
    queryset: QuerySet[Row], page: PageRequest, to_domain: Callable[[Row], Item]
) -> Page[Item]:
    """One page of an ordered queryset: the rows of the page, then the total count."""
    rows = list(queryset[page.offset : page.offset + page.limit])
    # A short first page is the whole list: its length is the count, no second query needed.
    count = len(rows) if page.offset == 0 and len(rows) < page.limit else queryset.count()
    return Page(
        items=tuple(to_domain(row) for row in rows),
        count=count,
        page=page.page,
        page_size=page.page_size,
    )


class DjangoLocationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    @functools.cached_property
    def _rows(self) -> QuerySet[models.Location]:
        return models.Location.objects.using(self._session.using)

    def add(self, location: Location) -> None:
        with self._session.access():
            self._rows.bulk_create([mappers.location_to_row(location)])

    def update(self, location: Location) -> None:
        row = mappers.location_to_row(location)
        # Not the creator: it is set once, at registration, and only the database clears it (when
        # the account goes), which a stale copy written back must not undo.
        fields = [
            f.attname
            for f in models.Location._meta.concrete_fields
            if not f.primary_key and f.name != "created_by"
        ]
        with self._session.access():
            self._rows.filter(pk=location.id).update(
                **{name: getattr(row, name) for name in fields}
            )

    def remove(self, location_id: uuid.UUID) -> None:
        # Observations, forecasts, rules and alerts go by ON DELETE CASCADE in Django's collector.
        with self._session.access():
            self._rows.filter(pk=location_id).delete()

    def get(self, location_id: uuid.UUID) -> Location | None:
        with self._session.access():
            row = self._rows.filter(pk=location_id).first()
        return None if row is None else mappers.location_from_row(row)

    def get_many(self, location_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Location]:
        if not location_ids:
            return {}
        with self._session.access():
            rows = list(self._rows.filter(pk__in=list(location_ids)))
        return {row.id: mappers.location_from_row(row) for row in rows}

    def get_by_coordinates(self, coordinates: Coordinates) -> Location | None:
        with self._session.access():
            row = self._rows.filter(
                latitude=mappers.degrees(coordinates.latitude),
                longitude=mappers.degrees(coordinates.longitude),
            ).first()
        return None if row is None else mappers.location_from_row(row)

    def search(
        self, *, text: str | None, country_code: str | None, page: PageRequest
    ) -> Page[Location]:
        queryset = self._rows.order_by(Lower("name"), "id")
        if text:
            queryset = queryset.filter(name__icontains=text)
        if country_code:
            queryset = queryset.filter(country_code=country_code)
        with self._session.access():
            return _page(queryset, page, mappers.location_from_row)

    def all(self) -> Sequence[Location]:
        with self._session.access():
            rows = list(self._rows.order_by(Lower("name"), "id"))
        return [mappers.location_from_row(row) for row in rows]


class DjangoObservationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    @functools.cached_property
    def _rows(self) -> QuerySet[models.Observation]:
        return models.Observation.objects.using(self._session.using)

    @property
    def _db(self) -> BaseDatabaseWrapper:
        return connections[self._session.using]

    def add(self, observation: Observation) -> None:
        self.add_many([observation])

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

    def get(self, key: ObservationKey) -> Observation | None:
        with self._session.access():
            row = self._rows.filter(
                location_id=key.location_id, observed_at=key.observed_at, provider=key.provider
            ).first()
        return None if row is None else mappers.observation_from_row(row)

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
        subquery (one backward index scan per location), then those readings."""
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
                .annotate(newest=Subquery(newest))
                .values_list("newest", flat=True)
            )
            rows = list(self._rows.filter(pk__in=[i for i in ids if i is not None]))
        return {row.location_id: mappers.observation_from_row(row) for row in rows}

    def history(
        self, location_id: uuid.UUID, start: datetime, end: datetime, page: PageRequest
    ) -> Page[Observation]:
        with self._session.access():
            return _page(self._range(location_id, start, end), page, mappers.observation_from_row)

    def between(
        self, location_id: uuid.UUID, start: datetime, end: datetime
    ) -> Sequence[Observation]:
        with self._session.access():
            rows = list(self._range(location_id, start, end))
        return [mappers.observation_from_row(row) for row in rows]

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


class DjangoForecastRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    @functools.cached_property
    def _rows(self) -> QuerySet[models.Forecast]:
        return models.Forecast.objects.using(self._session.using)

    def save_hourly(self, forecast: HourlyForecast) -> None:
        self.save_many(hourly=[forecast], daily=[])

    def save_daily(self, forecast: DailyForecast) -> None:
        self.save_many(hourly=[], daily=[forecast])

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


class DjangoAlertRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    @functools.cached_property
    def _rules(self) -> QuerySet[models.AlertRule]:
        return models.AlertRule.objects.using(self._session.using)

    @functools.cached_property
    def _alerts(self) -> QuerySet[models.Alert]:
        return models.Alert.objects.using(self._session.using)

    def add_rule(self, rule: AlertRule) -> None:
        with self._session.access():
            self._rules.bulk_create([mappers.rule_to_row(rule)])

    def update_rule(self, rule: AlertRule) -> None:
        row = mappers.rule_to_row(rule)
        fields = [f.attname for f in models.AlertRule._meta.concrete_fields if not f.primary_key]
        with self._session.access():
            self._rules.filter(pk=rule.id).update(**{name: getattr(row, name) for name in fields})

    def remove_rule(self, rule_id: uuid.UUID) -> None:
        with self._session.access():
            self._rules.filter(pk=rule_id).delete()

    def get_rule(self, rule_id: uuid.UUID) -> AlertRule | None:
        with self._session.access():
            row = self._rules.filter(pk=rule_id).first()
        return None if row is None else mappers.rule_from_row(row)

    def rules_of_owner(self, owner_id: str, page: PageRequest) -> Page[AlertRule]:
        queryset = self._rules.filter(owner_id=mappers.account_key(owner_id)).order_by(
            "created_at", "id"
        )
        with self._session.access():
            return _page(queryset, page, mappers.rule_from_row)

    def active_rules_for_location(self, location_id: uuid.UUID) -> Sequence[AlertRule]:
        with self._session.access():
            rows = list(
                self._rules.filter(location_id=location_id, active=True).order_by(
                    "created_at", "id"
                )
            )
        return [mappers.rule_from_row(row) for row in rows]

    def add_alert(self, alert: Alert) -> None:
        with self._session.access():
            self._alerts.bulk_create([mappers.alert_to_row(alert)])

    def update_alert(self, alert: Alert) -> None:
        with self._session.access():
            self._alerts.filter(pk=alert.id).update(**mappers.alert_delivery_fields(alert))

    def get_alert(self, alert_id: uuid.UUID) -> Alert | None:
        with self._session.access():
            row = self._alerts.filter(pk=alert_id).first()
        return None if row is None else mappers.alert_from_row(row)

    def alerts_of_owner(
        self,
        owner_id: str,
        *,
        rule_id: uuid.UUID | None,
        location_id: uuid.UUID | None,
        page: PageRequest,
    ) -> Page[Alert]:
        queryset = self._alerts.filter(owner_id=owner_id).order_by("-raised_at", "id")
        if rule_id is not None:
            queryset = queryset.filter(rule_id=rule_id)
        if location_id is not None:
            queryset = queryset.filter(location_id=location_id)
        with self._session.access():
            return _page(queryset, page, mappers.alert_from_row)

    def remove_for_location(self, location_id: uuid.UUID) -> None:
        with self._session.access():
            self._rules.filter(location_id=location_id).delete()
