"""Django admin for every weather table: browse, search and filter; audit fields are read-only.

Observations and forecast points are written by the workers, never by hand: their admin is
read-only, so an operator cannot create a reading the providers never gave.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import admin
from django.db import models as django_models
from django.db.models import Field
from django.http import HttpRequest

from adapters.persistence import models

# django-stubs makes the admin classes generic; at run time they are not subscriptable.
if TYPE_CHECKING:
    ModelAdmin = admin.ModelAdmin[Any]
else:
    ModelAdmin = admin.ModelAdmin


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


@admin.register(models.Observation)
class ObservationAdmin(ReadOnlyAdmin):
    list_display = (
        "location",
        "observed_at",
        "provider",
        "temperature",
        "wind_speed",
        "precipitation",
        "weather_code",
        "fetched_at",
    )
    list_filter = ("provider", "observed_at")
    search_fields = ("location__name",)
    date_hierarchy = "observed_at"
    list_select_related = ("location",)
    show_full_result_count = False  # COUNT(*) over a year of hourly readings is not free


@admin.register(models.Forecast)
class ForecastAdmin(ReadOnlyAdmin):
    list_display = ("location", "kind", "provider", "fetched_at", "point_count")
    list_filter = ("kind", "provider")
    search_fields = ("location__name",)
    list_select_related = ("location",)

    @admin.display(description="points")
    def point_count(self, forecast: models.Forecast) -> int:
        return len(forecast.points.get("rows", ()))


@admin.register(models.AlertRule)
class AlertRuleAdmin(ModelAdmin):
    list_display = (
        "location",
        "owner",
        "metric",
        "operator",
        "threshold",
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


@admin.register(models.Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = (
        "location",
        "owner_id",
        "metric",
        "operator",
        "threshold",
        "value",
        "observed_at",
        "raised_at",
        "delivered",
    )
    list_filter = ("delivered", "metric")
    search_fields = ("location__name", "owner_id")
    list_select_related = ("location",)
    date_hierarchy = "raised_at"
