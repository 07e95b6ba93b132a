"""Locations and geocoded places: the request bodies and query strings, and their JSON."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from adapters.rest.serializers.output import FlatResultSerializer
from adapters.rest.serializers.queries import InstantField, PageQuerySerializer
from adapters.rest.serializers.strict_fields import NumberField, TextField
from application.use_cases.geocode import MAX_RESULTS
from domain.locations import MAX_ELEVATION_METRES, MIN_ELEVATION_METRES, NAME_MAX_LENGTH

#: Text with a character other than white space, and no NUL (the domain trims names).
NOT_BLANK = RegexValidator(r"\A[^\x00]*[^\s\x00][^\x00]*\Z", _("This field may not be blank."))
#: ISO 3166-1 alpha-2 in either case (the domain upper-cases it), or white space for "unknown"
#: like the empty string (which never reaches a validator: the schema offers it apart).
COUNTRY_CODE = RegexValidator(r"\A(\s+|[A-Za-z]{2})\Z", "must be a two-letter ISO 3166-1 code.")

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
