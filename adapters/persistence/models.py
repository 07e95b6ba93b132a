"""Tables of the weather app: what the core's entities look like at rest.

Models carry storage concerns only (types, constraints, indexes); behaviour lives in the domain and
``mappers.py`` converts in both directions. Every invariant that can be a database constraint is
one, so that no code path — admin, shell, raw SQL — can store what the domain would refuse.

Indexes, and what ``EXPLAIN ANALYZE`` on PostgreSQL 15 showed for the contract's queries on one
year of hourly readings for 100 locations (876,000 rows; ``make bench`` prints these plans again):

- latest observation of a location: ``Index Scan Backward using weather_observation_key``
  (location_id, observed_at, provider) under ``Limit 1``; an incremental sort on the tie-break
  (fetched_at) touches the two newest entries only. 0.04 ms in the database.
- a time range of one location (history, one day): ``Bitmap Index Scan on
  weather_observation_key`` with both bounds in the index condition, then a sort of the matched
  rows only. 0.05 ms for a day.
- daily aggregation (30 local days): the same bitmap index scan (720 rows), a ``HashAggregate``
  on ``(observed_at AT TIME ZONE tz)::date`` and a sort of the 31 groups. About 1 ms; the rows of
  one location lie on as many heap pages as readings, since refreshes write all locations hour
  by hour: a covering index would be the next step if this ever mattered.
- locations by name: ``weather_location_name`` serves the ordered list; ``icontains`` search is a
  sequential scan, fine for thousands of locations (a trigram index would be the next step).
- alerts of an owner newest first: ``weather_alert_owner_raised``.
- live events after an id: the primary key; the hourly retention purge:
  ``weather_event_created_at``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from application.ports.event_log import EventType
from domain.alerts import Metric, Operator
from domain.locations import MAX_ELEVATION_METRES, MIN_ELEVATION_METRES
from domain.readings import ABSOLUTE_ZERO_CELSIUS

METRICS = [(metric.value, metric.value) for metric in Metric]
OPERATORS = [(operator.value, operator.value) for operator in Operator]


def _between(field: str, low: float, high: float) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high})


def _at_least(field: str, low: float) -> Q:
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low})


class Location(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(verbose_name=_("name"), max_length=200)
    latitude = models.DecimalField(verbose_name=_("latitude"), max_digits=6, decimal_places=4)
    longitude = models.DecimalField(verbose_name=_("longitude"), max_digits=7, decimal_places=4)
    timezone = models.CharField(verbose_name=_("timezone"), max_length=64, default="UTC")
    country_code = models.CharField(
        verbose_name=_("country code"), max_length=2, blank=True, default=""
    )
    admin1 = models.CharField(verbose_name=_("admin1"), max_length=200, blank=True, default="")
    elevation = models.FloatField(verbose_name=_("elevation"), null=True, blank=True)
    created_at = models.DateTimeField(verbose_name=_("created at"))
    updated_at = models.DateTimeField(verbose_name=_("updated at"))
    # Who registered it, who may change it with staff (CONTRACT.md §3). A deleted account's
    # locations stay, shared as they are, with no creator: staff's to change from then on.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registered_locations",
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        db_table = "weather_location"
        ordering = ("name", "id")
        constraints = (
            models.UniqueConstraint(
                fields=("latitude", "longitude"), name="weather_location_unique_coordinates"
            ),
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90),
                name="weather_location_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180, longitude__lte=180),
                name="weather_location_longitude_range",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="weather_location_name_not_empty"),
            models.CheckConstraint(
                condition=_between("elevation", MIN_ELEVATION_METRES, MAX_ELEVATION_METRES),
                name="weather_location_elevation_range",
            ),
        )
        # The order of every list of locations: case-insensitive name, then id.
        indexes = (models.Index(Lower("name"), "id", name="weather_location_name"),)

    def __str__(self) -> str:
        return f"{self.name} ({self.latitude}, {self.longitude})"


class Observation(models.Model):
    id = models.BigAutoField(primary_key=True)
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="observations",
        db_index=False,
    )
    observed_at = models.DateTimeField(verbose_name=_("observed at"))
    provider = models.CharField(verbose_name=_("provider"), max_length=32)
    fetched_at = models.DateTimeField(verbose_name=_("fetched at"))
    temperature = models.FloatField(verbose_name=_("temperature"), null=True, blank=True)
    apparent_temperature = models.FloatField(
        verbose_name=_("apparent temperature"), null=True, blank=True
    )
    relative_humidity = models.FloatField(
        verbose_name=_("relative humidity"), null=True, blank=True
    )
    dew_point = models.FloatField(verbose_name=_("dew point"), null=True, blank=True)
    pressure = models.FloatField(verbose_name=_("pressure"), null=True, blank=True)
    wind_speed = models.FloatField(verbose_name=_("wind speed"), null=True, blank=True)
    wind_direction = models.FloatField(verbose_name=_("wind direction"), null=True, blank=True)
    wind_gusts = models.FloatField(verbose_name=_("wind gusts"), null=True, blank=True)
    precipitation = models.FloatField(verbose_name=_("precipitation"), null=True, blank=True)
    cloud_cover = models.FloatField(verbose_name=_("cloud cover"), null=True, blank=True)
    weather_code = models.SmallIntegerField(verbose_name=_("weather code"), null=True, blank=True)
    is_day = models.BooleanField(verbose_name=_("is day"), null=True, blank=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        db_table = "weather_observation"
        ordering = ("location", "observed_at", "provider")
        constraints = (
            # Also the index of every per-location query (latest, ranges, aggregation).
            models.UniqueConstraint(
                fields=("location", "observed_at", "provider"), name="weather_observation_key"
            ),
            models.CheckConstraint(
                condition=_between("relative_humidity", 0, 100),
                name="weather_observation_humidity_range",
            ),
            models.CheckConstraint(
                condition=_between("cloud_cover", 0, 100),
                name="weather_observation_cloud_cover_range",
            ),
            models.CheckConstraint(
                condition=_between("wind_direction", 0, 360),
                name="weather_observation_wind_direction_range",
            ),
            models.CheckConstraint(
                condition=_at_least("wind_speed", 0), name="weather_observation_wind_speed_min"
            ),
            models.CheckConstraint(
                condition=_at_least("wind_gusts", 0), name="weather_observation_wind_gusts_min"
            ),
            models.CheckConstraint(
                condition=_at_least("precipitation", 0),
                name="weather_observation_precipitation_min",
            ),
            models.CheckConstraint(
                condition=_at_least("pressure", 0), name="weather_observation_pressure_min"
            ),
            models.CheckConstraint(
                condition=_at_least("temperature", ABSOLUTE_ZERO_CELSIUS)
                & _at_least("apparent_temperature", ABSOLUTE_ZERO_CELSIUS)
                & _at_least("dew_point", ABSOLUTE_ZERO_CELSIUS),
                name="weather_observation_temperatures_above_absolute_zero",
            ),
            models.CheckConstraint(
                condition=_between("weather_code", 0, 99),
                name="weather_observation_weather_code_range",
            ),
        )

    def __str__(self) -> str:
        return f"{self.location_id} at {self.observed_at:%Y-%m-%d %H:%M}Z ({self.provider})"


class Forecast(models.Model):
    """The latest forecast of one kind for one location, from whichever provider answered last.

    Its points are one JSON document (columns + rows), not a table: a forecast is written and
    read whole, never queried point by point, and a refresh of 1,000 locations replaces 384,000
    hourly points — as rows that cost tens of seconds, as documents one upsert per batch. The
    domain checks every point when the document is written and again when it is read back.
    """

    HOURLY = "hourly"
    DAILY = "daily"

    id = models.BigAutoField(primary_key=True)
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="forecasts",
        db_index=False,
    )
    kind = models.CharField(
        verbose_name=_("kind"), max_length=6, choices=((HOURLY, HOURLY), (DAILY, DAILY))
    )
    provider = models.CharField(verbose_name=_("provider"), max_length=32)
    fetched_at = models.DateTimeField(verbose_name=_("fetched at"))
    points = models.JSONField(verbose_name=_("points"))

    class Meta:
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        db_table = "weather_forecast"
        constraints = (
            models.UniqueConstraint(fields=("location", "kind"), name="weather_forecast_key"),
            models.CheckConstraint(
                condition=Q(kind__in=("hourly", "daily")), name="weather_forecast_kind_valid"
            ),
        )

    def __str__(self) -> str:
        return f"{self.kind} forecast of {self.location_id} by {self.provider}"


class AlertRule(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A rule belongs to a user account and goes with it, its alerts with it (CONTRACT.md §3).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="alert_rules",
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.CASCADE, related_name="alert_rules"
    )
    metric = models.CharField(verbose_name=_("metric"), max_length=32, choices=METRICS)
    operator = models.CharField(verbose_name=_("operator"), max_length=3, choices=OPERATORS)
    threshold = models.FloatField(verbose_name=_("threshold"))
    webhook_url = models.URLField(
        verbose_name=_("webhook url"), max_length=2000, blank=True, default=""
    )
    active = models.BooleanField(verbose_name=_("active"), default=True)
    created_at = models.DateTimeField(verbose_name=_("created at"))
    is_crossed = models.BooleanField(verbose_name=_("is crossed"), default=False)
    last_observed_at = models.DateTimeField(
        verbose_name=_("last observed at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")
        db_table = "weather_alert_rule"
        ordering = ("created_at", "id")
        constraints = (
            models.CheckConstraint(
                condition=Q(metric__in=[value for value, _ in METRICS]),
                name="weather_alert_rule_metric_valid",
            ),
            models.CheckConstraint(
                condition=Q(operator__in=[value for value, _ in OPERATORS]),
                name="weather_alert_rule_operator_valid",
            ),
        )

    def __str__(self) -> str:
        return f"{self.metric} {self.operator} {self.threshold} at {self.location_id}"


class Alert(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    rule = models.ForeignKey(
        AlertRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="alerts"
    )
    # The rule's owner, copied so that "the alerts of an owner, newest first" is one index scan;
    # it cannot outlive the account, since the alert goes with its rule.
    owner_id = models.CharField(verbose_name=_("owner id"), max_length=150)
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.CASCADE, related_name="alerts"
    )
    metric = models.CharField(verbose_name=_("metric"), max_length=32, choices=METRICS)
    operator = models.CharField(verbose_name=_("operator"), max_length=3, choices=OPERATORS)
    threshold = models.FloatField(verbose_name=_("threshold"))
    value = models.FloatField(verbose_name=_("value"))
    observed_at = models.DateTimeField(verbose_name=_("observed at"))
    raised_at = models.DateTimeField(verbose_name=_("raised at"))
    delivered = models.BooleanField(verbose_name=_("delivered"), default=False)
    # Why it will never be delivered (its webhook target is refused); blank while deliverable.
    delivery_error = models.TextField(verbose_name=_("delivery error"), blank=True, default="")

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        db_table = "weather_alert"
        ordering = ("-raised_at", "id")
        constraints = (
            # A rule raises at most once for one reading, however often it is redelivered.
            models.UniqueConstraint(fields=("rule", "observed_at"), name="weather_alert_key"),
        )
        indexes = (
            models.Index(fields=("owner_id", "-raised_at"), name="weather_alert_owner_raised"),
        )

    def __str__(self) -> str:
        return f"{self.metric} {self.operator} {self.threshold}: {self.value} at {self.observed_at}"


EVENT_TYPES = [(kind.value, kind.value) for kind in EventType]


class OutboxEvent(models.Model):
    """One event of the live stream, written in the transaction of the change it tells of
    (``events/outbox.py``): the outbox. Ids increase in commit order (inserts are serialised,
    see there) and are never reused, purged ones included (PostgreSQL's identity sequence,
    SQLite's AUTOINCREMENT)."""

    id = models.BigAutoField(primary_key=True)
    type = models.CharField(max_length=32, choices=EVENT_TYPES)
    # JSON-able: the object the stream sends (CONTRACT.md §4, "Live events").
    data = models.JSONField()
    # The locations it is about, as UUID strings (for the streams' `?location=` filters).
    location_ids = models.JSONField(default=list)
    # Only this account may see it (alert.raised); empty: every stream (no account id is empty).
    owner_id = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        db_table = "weather_event"
        ordering = ("id",)
        verbose_name = "live event"
        constraints = (
            models.CheckConstraint(
                condition=Q(type__in=[value for value, _ in EVENT_TYPES]),
                name="weather_event_type_valid",
            ),
        )
        # The retention purge finds the events older than its instant by this index.
        indexes = (models.Index(fields=("created_at",), name="weather_event_created_at"),)

    def __str__(self) -> str:
        return f"#{self.id} {self.type} at {self.created_at:%Y-%m-%d %H:%M:%S}Z"


class EventLogHorizon(models.Model):
    """What the retention purge has dropped: every event id up to `purged_through` may be gone,
    so a stream resuming from an id below it has missed events (``EventLog.is_kept``). One row,
    created by the migration (and again by the purge if a test flushed it)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    purged_through = models.BigIntegerField(default=0)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "weather_event_horizon"
        verbose_name = "live event retention horizon"
        constraints = (
            models.CheckConstraint(condition=Q(id=1), name="weather_event_horizon_one_row"),
        )

    def __str__(self) -> str:
        return f"events up to #{self.purged_through} purged"


class StreamTicket(models.Model):
    """A single-use ticket of the live event stream, by digest (never the ticket itself):
    ``adapters/persistence/stream_tickets.py`` issues and takes them."""

    digest = models.CharField(max_length=64, primary_key=True)
    # The account it stands for, as the core names accounts (`Requester.user_id`).
    owner_id = models.CharField(max_length=150)
    expires_at = models.DateTimeField()

    class Meta:
        db_table = "weather_stream_ticket"
        verbose_name = "stream ticket"
        # Issuing a ticket drops the expired ones by this index.
        indexes = (models.Index(fields=("expires_at",), name="weather_stream_ticket_expiry"),)

    def __str__(self) -> str:
        return f"ticket of {self.owner_id} until {self.expires_at:%Y-%m-%d %H:%M:%S}Z"
