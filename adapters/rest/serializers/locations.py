"""Locations and geocoded places: the request bodies and query strings, and their JSON."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from adapters.rest.serializers.output import FlatResultSerializer, Writer
from adapters.rest.serializers.queries import InstantField, PageQuerySerializer
from adapters.rest.serializers.strict_fields import NumberField, TextField
from adapters.rest.serializers.weather import CurrentWeatherSerializer
from application.use_cases.geocode import MAX_RESULTS
from domain.locations import MAX_ELEVATION_METRES, MIN_ELEVATION_METRES, NAME_MAX_LENGTH
from domain.units import UnitSystem

#: The one value of the list's `include` (CONTRACT.md §4).
INCLUDE_CURRENT = "current"

#: Text with a character other than white space, and no NUL (the domain trims names).
NOT_BLANK = RegexValidator(r"\A[^\x00]*[^\s\x00][^\x00]*\Z", _("This field may not be blank."))
#: ISO 3166-1 alpha-2 in either case (the domain upper-cases it), or white space for "unknown"
#: like the empty string (which never reaches a validator: the schema offers it apart).
COUNTRY_CODE = RegexValidator(r"\A(\s+|[A-Za-z]{2})\Z", _("must be a two-letter ISO 3166-1 code."))

LOCATION_EXAMPLE = {
    "id": "3f2c1b7e-8a51-4c1e-9f0a-2b8d6c4e5a10",
    "name": "Paris",
    "country_code": "FR",
    "admin1": "Île-de-France",
    "latitude": 48.8534,
    "longitude": 2.3488,
    "elevation": 42.0,
    "timezone": "Europe/Paris",
    "created_at": "2026-11-24T14:00:00Z",
    "updated_at": "2026-11-24T14:00:00Z",
}


class LocationSerializer(FlatResultSerializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    country_code = serializers.CharField(allow_null=True, help_text="ISO 3166-1 alpha-2.")
    admin1 = serializers.CharField(allow_null=True, help_text="First-level region.")
    latitude = serializers.FloatField(min_value=-90, max_value=90)
    longitude = serializers.FloatField(min_value=-180, max_value=180)
    elevation = serializers.FloatField(allow_null=True, help_text="Metres above sea level.")
    timezone = serializers.CharField(help_text="IANA time zone name.")
    created_at = InstantField()
    updated_at = InstantField()


class LocationWithCurrentSerializer(LocationSerializer):
    """A location of the list with `include=current`: the Location, plus `current` written by
    the current-weather endpoint's own serializer, so that the two cannot differ. The schema's
    only item of the list: without `include=current` the items have no `current`.

    Its writer joins the two serializers' own writers instead of compiling a plan (a plan holds
    plain attributes only); it is made anew for each list, so that the nested reading's
    `condition_label` is written in the language of that response."""

    current = CurrentWeatherSerializer(
        allow_null=True,
        required=False,
        help_text="With `include=current` only: the current observation, exactly as "
        "`GET /locations/{id}/weather/current/` gives it (in the `units` asked for), or null "
        "until one has been fetched.",
    )

    @classmethod
    def writer(cls) -> Writer:
        write_location = LocationSerializer.writer()
        write_current = CurrentWeatherSerializer.writer()

        def write(instance: Any) -> dict[str, Any]:
            current = instance.current
            return {
                **write_location(instance.location),
                "current": None if current is None else write_current(current),
            }

        return write


class TimezoneField(TextField):
    """An IANA time zone name; the domain checks it, and the schema lists every name there is
    (`adapters.rest.openapi`)."""


class LocationWriteSerializer(serializers.Serializer[Any]):
    """POST and PUT take every field (optional ones default to null, the time zone to UTC);
    PATCH takes any of them. Numbers are JSON numbers and text is JSON strings (CONTRACT.md §4);
    the ranges are the domain's, so that the schema states them."""

    name = TextField(
        min_length=1,
        max_length=NAME_MAX_LENGTH,
        validators=[NOT_BLANK],
        help_text="Leading and trailing white space is dropped.",
    )
    latitude = NumberField(min_value=-90, max_value=90, help_text="Stored with at most 4 decimals.")
    longitude = NumberField(
        min_value=-180, max_value=180, help_text="Stored with at most 4 decimals."
    )
    timezone = TimezoneField(
        required=False,
        allow_null=True,
        max_length=64,
        help_text="IANA time zone name; UTC when omitted.",
    )
    country_code = TextField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=2,
        validators=[COUNTRY_CODE],
        help_text="ISO 3166-1 alpha-2, either case; blank or null when unknown.",
    )
    admin1 = TextField(
        required=False, allow_null=True, allow_blank=True, max_length=NAME_MAX_LENGTH
    )
    elevation = NumberField(
        required=False,
        allow_null=True,
        min_value=MIN_ELEVATION_METRES,
        max_value=MAX_ELEVATION_METRES,
        help_text="Metres above sea level.",
    )


#: What PUT resets an omitted optional field to.
LOCATION_OPTIONAL_DEFAULTS = {
    "timezone": None,
    "country_code": None,
    "admin1": None,
    "elevation": None,
}


class LocationListQuerySerializer(PageQuerySerializer):
    search = serializers.CharField(
        required=False, allow_blank=True, help_text="Part of the name, case-insensitive."
    )
    country_code = serializers.CharField(
        required=False, allow_blank=True, help_text="ISO 3166-1 alpha-2, case-insensitive."
    )
    include = serializers.ChoiceField(
        choices=[INCLUDE_CURRENT],
        required=False,
        help_text="`current`: each location with `current`, its current observation.",
    )
    units = serializers.ChoiceField(
        choices=[system.value for system in UnitSystem],
        default=UnitSystem.METRIC.value,
        help_text="Unit system of `current` (validated with or without `include`).",
    )


class GeocodeQuerySerializer(serializers.Serializer[Any]):
    name = serializers.CharField(
        min_length=1, max_length=NAME_MAX_LENGTH, help_text="The start of a place name."
    )
    count = serializers.IntegerField(
        min_value=1, max_value=MAX_RESULTS, default=5, help_text="At most this many places."
    )


class PlaceSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    country_code = serializers.CharField(allow_null=True)
    admin1 = serializers.CharField(allow_null=True)
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    elevation = serializers.FloatField(allow_null=True)
    timezone = serializers.CharField(allow_null=True)
    population = serializers.IntegerField(allow_null=True)


class GeocodeSerializer(serializers.Serializer[Any]):
    results = PlaceSerializer(many=True)
