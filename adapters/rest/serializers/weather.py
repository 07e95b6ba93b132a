"""Weather of a location: query strings of the weather endpoints and the JSON of their results.

Numbers arrive already converted to the asked unit system (the use cases do it); the `units`
object names the unit of each converted family.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from adapters.rest.serializers.output import FlatResultSerializer
from adapters.rest.serializers.queries import (
    CalendarDateField,
    InstantField,
    PageQuerySerializer,
    UnitsQuerySerializer,
)
from application.use_cases.get_daily_forecast import MAX_DAYS
from application.use_cases.get_hourly_forecast import MAX_HOURS

UNITS_EXAMPLE = {
    "temperature": "°C",
    "wind_speed": "km/h",
    "precipitation": "mm",
    "pressure": "hPa",
}


class UnitsSerializer(serializers.Serializer[Any]):
    temperature = serializers.ChoiceField(choices=["°C", "°F"])
    wind_speed = serializers.ChoiceField(choices=["km/h", "mph"])
    precipitation = serializers.ChoiceField(choices=["mm", "inch"])
    pressure = serializers.ChoiceField(choices=["hPa", "inHg"])


# --- query strings -------------------------------------------------------------------------------


class HourlyForecastQuerySerializer(UnitsQuerySerializer):
    hours = serializers.IntegerField(
        min_value=1, max_value=MAX_HOURS, default=48, help_text="Hours from the current one on."
    )


class DailyForecastQuerySerializer(UnitsQuerySerializer):
    days = serializers.IntegerField(
        min_value=1, max_value=MAX_DAYS, default=7, help_text="Local days from today on."
    )


class HistoryQuerySerializer(UnitsQuerySerializer, PageQuerySerializer):
    start = InstantField(
        required=False,
        help_text="Inclusive; default 24 hours before `end`. At most 366 days before `end`.",
    )
    end = InstantField(required=False, help_text="Exclusive; default now.")


class DailySummariesQuerySerializer(UnitsQuerySerializer):
    start = CalendarDateField(
        required=False, help_text="First local day; default 6 days before `end`."
    )
    end = CalendarDateField(
        required=False,
        help_text="Last local day, included; default the location's today. "
        "At most 366 days from `start`.",
    )


# --- results -------------------------------------------------------------------------------------


class ReadingSerializer(FlatResultSerializer):
    """One observation; any value the provider did not give is null."""

    location_id = serializers.UUIDField()
    observed_at = InstantField()
    temperature = serializers.FloatField(allow_null=True)
    apparent_temperature = serializers.FloatField(allow_null=True)
    relative_humidity = serializers.FloatField(allow_null=True, help_text="%")
    dew_point = serializers.FloatField(allow_null=True)
    pressure = serializers.FloatField(allow_null=True)
    wind_speed = serializers.FloatField(allow_null=True)
    wind_direction = serializers.FloatField(allow_null=True, help_text="Degrees.")
    wind_gusts = serializers.FloatField(allow_null=True)
    precipitation = serializers.FloatField(allow_null=True)
    cloud_cover = serializers.FloatField(allow_null=True, help_text="%")
    weather_code = serializers.IntegerField(allow_null=True, help_text="WMO weather code.")
    condition = serializers.CharField(
        allow_null=True, help_text="English text of the weather code."
    )
    is_day = serializers.BooleanField(allow_null=True)
    provider = serializers.CharField()
    fetched_at = InstantField()


class CurrentWeatherSerializer(ReadingSerializer):
    """The latest reading, flattened, with the `units` object."""

    units = UnitsSerializer()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return {**ReadingSerializer().to_representation(instance.reading), "units": instance.units}


class HourlyPointSerializer(FlatResultSerializer):
    time = InstantField()
    temperature = serializers.FloatField(allow_null=True)
    apparent_temperature = serializers.FloatField(allow_null=True)
    relative_humidity = serializers.FloatField(allow_null=True)
    precipitation_probability = serializers.FloatField(allow_null=True, help_text="%")
    precipitation = serializers.FloatField(allow_null=True)
    wind_speed = serializers.FloatField(allow_null=True)
    wind_direction = serializers.FloatField(allow_null=True)
    weather_code = serializers.IntegerField(allow_null=True)
    condition = serializers.CharField(allow_null=True)


class ForecastEnvelopeSerializer(serializers.Serializer[Any]):
    location_id = serializers.UUIDField()
    provider = serializers.CharField()
    fetched_at = InstantField()
    timezone = serializers.CharField(help_text="IANA time zone of the location.")
    units = UnitsSerializer()


class HourlyForecastSerializer(ForecastEnvelopeSerializer):
    hourly = HourlyPointSerializer(many=True)


class DailyPointSerializer(FlatResultSerializer):
    date = CalendarDateField(help_text="Local date.")
    temperature_min = serializers.FloatField(allow_null=True)
    temperature_max = serializers.FloatField(allow_null=True)
    precipitation_sum = serializers.FloatField(allow_null=True)
    precipitation_probability_max = serializers.FloatField(allow_null=True, help_text="%")
    wind_speed_max = serializers.FloatField(allow_null=True)
    weather_code = serializers.IntegerField(allow_null=True)
    condition = serializers.CharField(allow_null=True)
    sunrise = InstantField(allow_null=True)
    sunset = InstantField(allow_null=True)


class DailyForecastSerializer(ForecastEnvelopeSerializer):
    daily = DailyPointSerializer(many=True)


class HistoryEnvelopeSerializer(serializers.Serializer[Any]):
    """What history adds to the pagination envelope: the range actually served and the units."""

    location_id = serializers.UUIDField()
    start = InstantField(help_text="Inclusive.")
    end = InstantField(help_text="Exclusive.")
    units = UnitsSerializer()


class DailySummarySerializer(serializers.Serializer[Any]):
    date = CalendarDateField(help_text="Local calendar day of the location.")
    temperature_min = serializers.FloatField(allow_null=True)
    temperature_max = serializers.FloatField(allow_null=True)
    temperature_mean = serializers.FloatField(allow_null=True)
    precipitation_sum = serializers.FloatField(allow_null=True)
    observation_count = serializers.IntegerField(min_value=0)


class DailySummariesSerializer(serializers.Serializer[Any]):
    location_id = serializers.UUIDField()
    timezone = serializers.CharField()
    units = UnitsSerializer()
    results = DailySummarySerializer(many=True)
