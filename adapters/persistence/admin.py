"""Django admin for every weather table: browse, search and filter; audit fields are read-only.

Observations and forecast points are written by the workers, never by hand: their admin is
read-only, so an operator cannot create a reading the providers never gave.

The admin speaks the language of the request, as Django's own admin does (its French ships with
Django); the labels written here are translated in the project's catalogue (`locale/`), and so
are the site's name and the numbers (``3,9 °C`` in French). Readings are shown as a person reads
them: rounded to what a provider measures, with their unit (the stored values are metric), never
as the float the database holds (``3.8880000000000003``).

Locations have two actions that queue work in the workers ("Refresh now", "Backfill the last N
days"): they live in ``admin_actions.py``, which is wired to the container and imported only when
an action runs (see there why).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models as django_models
from django.db.models import Field, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from adapters.persistence import models
from domain.alerts import Metric
from domain.errors import DomainError
from domain.units import UnitSystem
from domain.weather_codes import condition_for

# django-stubs makes the admin classes generic; at run time they are not subscriptable.
if TYPE_CHECKING:
    ModelAdmin = admin.ModelAdmin[Any]
else:
    ModelAdmin = admin.ModelAdmin

# The project's name where Django's admin says "Django administration", in the request's language.
admin.site.site_header = _("F_BRAIN weather administration")
admin.site.site_title = _("F_BRAIN weather admin")
admin.site.index_title = _("Tracked places, readings and alerts")

#: As the workers store them (CONTRACT.md §3: metric). Humidity and cloud cover are `%`.
UNITS = UnitSystem.METRIC.labels
PERCENT = "%"
DEGREES = "°"
#: What the admin shows for a value nobody gave, in lists and detail pages alike (Django's own
#: `empty_value_display`; a read-only detail field would show ``None`` otherwise).
EMPTY = admin.site.empty_value_display
#: The unit of an alert rule's threshold (and of its alerts' values), by metric.
METRIC_UNITS = {
    Metric.TEMPERATURE: UNITS["temperature"],
    Metric.APPARENT_TEMPERATURE: UNITS["temperature"],
    Metric.WIND_SPEED: UNITS["wind_speed"],
    Metric.WIND_GUSTS: UNITS["wind_speed"],
    Metric.PRECIPITATION: UNITS["precipitation"],
    Metric.RELATIVE_HUMIDITY: PERCENT,
}
#: pgettext's context of the WMO conditions, as the REST adapter's `condition_label` uses it.
CONDITION_CONTEXT = "weather condition"


def with_unit(value: float | None, unit: str, decimals: int = 1) -> str:
    """`value` rounded for a person, in the request's number format, with its unit; the admin's
    "-" when the provider gave nothing. (Rounded first: `number_format` cuts the digits off.)"""
    if value is None:
        return EMPTY
    return f"{number_format(round(value, decimals), decimal_pos=decimals)} {unit}"


def reading(
    field: str, unit: str, decimals: int = 1
) -> Callable[[ModelAdmin, django_models.Model], str]:
    """A column (or read-only detail field) showing an observation's `field` with `unit`,
    labelled (the field's translated name) and sortable as the field itself."""

    def show(admin_: ModelAdmin, row: django_models.Model) -> str:
        return with_unit(getattr(row, field), unit, decimals)

    label = models.Observation._meta.get_field(field).verbose_name  # type: ignore[union-attr]
    return admin.display(description=label, ordering=field)(show)


def threshold_unit(metric: str) -> str:
    try:
        return METRIC_UNITS[Metric(metric)]
    except ValueError:  # a metric the table's constraint allows but this version does not know
        return ""


class ReadOnlyAdmin(ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Location)
class LocationAdmin(ModelAdmin):
    list_display = (
        "name",
        "country_code",
        "admin1",
        "latitude",
        "longitude",
        "timezone",
        "created_by",
        "updated_at",
    )
    list_filter = ("country_code", "timezone")
    search_fields = ("name", "admin1", "country_code", "created_by__username")
    list_select_related = ("created_by",)
    # Who registered it, as the API recorded it (the account that may change it, with staff).
    readonly_fields = ("id", "created_by", "created_at", "updated_at")
    ordering = ("name",)
    actions = ("refresh_now", "backfill_recent_days")

    @admin.action(description=_("Refresh now"), permissions=("change",))
    def refresh_now(self, request: HttpRequest, queryset: QuerySet[models.Location]) -> None:
        """Queues the refresh task of each selected location, as the API's refresh does."""
        from adapters.persistence.admin_actions import queue_refreshes

        names = dict(queryset.values_list("id", "name"))
        outcome = queue_refreshes(list(names))
        if outcome.queued:
            tasks = "; ".join(
                gettext("%(location)s (task %(task_id)s)")
                % {"location": names[task.location_id], "task_id": task.task_id}
                for task in outcome.queued
            )
            count = len(outcome.queued)
            message = ngettext(
                "Refresh queued for %(count)d location: %(tasks)s.",
                "Refresh queued for %(count)d locations: %(tasks)s.",
                count,
            ) % {"count": count, "tasks": tasks}
            self.message_user(request, message, messages.SUCCESS)
        if outcome.failure is not None:
            self.message_user(request, outcome.failure.render(gettext), messages.ERROR)

    @admin.action(description=_("Backfill the last N days"), permissions=("change",))
    def backfill_recent_days(
        self, request: HttpRequest, queryset: QuerySet[models.Location]
    ) -> TemplateResponse | None:
        """First an intermediate page asking N (the form), then one backfill task per selected
        location over its own last N calendar days. A refused N renders the page again (400)
        with the reason, and queues nothing."""
        from adapters.persistence.admin_actions import BackfillDaysForm, queue_recent_backfills

        form = BackfillDaysForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            days: int = form.cleaned_data["days"]
            ids: list[uuid.UUID] = list(queryset.values_list("id", flat=True))
            try:
                result = queue_recent_backfills(ids, days)
            except DomainError as error:
                self.message_user(request, error.render(gettext), messages.ERROR)
                return None
            tasks = "; ".join(
                gettext("%(location)s, %(start)s to %(end)s (task %(task_id)s)")
                % {
                    "location": task.location_name,
                    "start": task.start.isoformat(),
                    "end": task.end.isoformat(),
                    "task_id": task.task_id,
                }
                for task in result.queued
            )
            message = ngettext(
                "Backfill of the last %(days)d day queued: %(tasks)s.",
                "Backfill of the last %(days)d days queued: %(tasks)s.",
                days,
            ) % {"days": days, "tasks": tasks}
            self.message_user(request, message, messages.SUCCESS)
            return None  # back to the list, which shows the message
        context = {
            **self.admin_site.each_context(request),
            "title": _("Backfill the last N days"),
            "opts": self.model._meta,
            "form": form,
            "locations": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "backfill_recent_days",
            "media": self.media,
        }
        return TemplateResponse(
            request,
            "admin/weather/location/backfill_recent_days.html",
            context,
            status=400 if form.is_bound else 200,
        )


@admin.register(models.Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = (
        "location",
        "observed_at",
        "provider",
        "temperature_shown",
        "wind_speed_shown",
        "precipitation_shown",
        "condition",
        "fetched_at",
    )
    list_filter = ("provider", "observed_at", "is_day")
    search_fields = ("location__name", "location__country_code", "provider")
    date_hierarchy = "observed_at"
    list_select_related = ("location",)
    show_full_result_count = False  # COUNT(*) over a year of hourly readings is not free
    temperature_shown = reading("temperature", UNITS["temperature"])
    apparent_temperature_shown = reading("apparent_temperature", UNITS["temperature"])
    dew_point_shown = reading("dew_point", UNITS["temperature"])
    relative_humidity_shown = reading("relative_humidity", PERCENT, 0)
    pressure_shown = reading("pressure", UNITS["pressure"])
    wind_speed_shown = reading("wind_speed", UNITS["wind_speed"])
    wind_gusts_shown = reading("wind_gusts", UNITS["wind_speed"])
    wind_direction_shown = reading("wind_direction", DEGREES, 0)
    precipitation_shown = reading("precipitation", UNITS["precipitation"])
    cloud_cover_shown = reading("cloud_cover", PERCENT, 0)
    readings = (
        "temperature_shown",
        "apparent_temperature_shown",
        "dew_point_shown",
        "relative_humidity_shown",
        "pressure_shown",
        "wind_speed_shown",
        "wind_gusts_shown",
        "wind_direction_shown",
        "precipitation_shown",
        "cloud_cover_shown",
    )
    # The detail page: the readings rounded with their units in place of the stored floats.
    fields = (
        "location",
        "observed_at",
        "provider",
        "fetched_at",
        *readings,
        "weather_code",
        "condition",
        "is_day",
    )
    readonly_fields = (*readings, "condition")

    @admin.display(description=_("condition"), ordering="weather_code")
    def condition(self, observation: models.Observation) -> str:
        """The WMO code in words, in the request's language (as the API's `condition_label`)."""
        condition = condition_for(observation.weather_code)
        return EMPTY if condition is None else pgettext(CONDITION_CONTEXT, condition)


@admin.register(models.Forecast)
class ForecastAdmin(ReadOnlyAdmin):
    list_display = ("location", "kind", "provider", "fetched_at", "point_count")
    list_filter = ("kind", "provider")
    search_fields = ("location__name", "provider")
    list_select_related = ("location",)

    @admin.display(description=_("points"))
    def point_count(self, forecast: models.Forecast) -> int:
        return len(forecast.points.get("rows", ()))


@admin.register(models.AlertRule)
class AlertRuleAdmin(ModelAdmin):
    list_display = (
        "location",
        "owner",
        "metric",
        "operator",
        "threshold_shown",
        "active",
        "is_crossed",
        "created_at",
    )
    list_filter = ("active", "metric", "operator", "is_crossed")
    search_fields = ("location__name", "owner__username", "webhook_url")
    list_select_related = ("location", "owner")
    raw_id_fields = ("owner",)  # a select of every account would not scale
    readonly_fields = ("id", "created_at", "is_crossed", "last_observed_at")
    # Django 6's default for a URL typed without a scheme, chosen now.
    formfield_overrides: ClassVar[dict[type[Field[Any, Any]], dict[str, Any]]] = {
        django_models.URLField: {"assume_scheme": "https"}
    }

    @admin.display(description=_("threshold"), ordering="threshold")
    def threshold_shown(self, rule: models.AlertRule) -> str:
        return with_unit(rule.threshold, threshold_unit(rule.metric))


@admin.register(models.Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = (
        "location",
        "owner_id",
        "metric",
        "operator",
        "threshold_shown",
        "value_shown",
        "observed_at",
        "raised_at",
        "delivered",
    )
    list_filter = ("delivered", "metric", "operator")
    search_fields = ("location__name", "owner_id", "delivery_error")
    list_select_related = ("location",)
    date_hierarchy = "raised_at"
    show_full_result_count = False
    fields = (
        "rule",
        "location",
        "owner_id",
        "metric",
        "operator",
        "threshold_shown",
        "value_shown",
        "observed_at",
        "raised_at",
        "delivered",
        "delivery_error",
    )
    readonly_fields = ("threshold_shown", "value_shown")

    @admin.display(description=_("threshold"), ordering="threshold")
    def threshold_shown(self, alert: models.Alert) -> str:
        return with_unit(alert.threshold, threshold_unit(alert.metric))

    @admin.display(description=_("value"), ordering="value")
    def value_shown(self, alert: models.Alert) -> str:
        return with_unit(alert.value, threshold_unit(alert.metric))


@admin.register(models.OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdmin):
    """The live events as streams read them: written only by the units of work that committed
    their changes, and dropped only by the retention purge (which records how far it went, for
    the streams that resume), so neither by hand."""

    list_display = ("id", "type", "owner_id", "created_at")
    list_filter = ("type",)
    search_fields = ("type", "owner_id")
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.EventLogHorizon)
class EventLogHorizonAdmin(ReadOnlyAdmin):
    """How far the retention purge has gone (written by ``weather.purge_events`` only)."""

    list_display = ("purged_through", "purged_at")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
