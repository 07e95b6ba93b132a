"""Weather of a location: query strings of the weather endpoints and the JSON of their results.

Numbers arrive already converted to the asked unit system (the use cases do it); the `units`
object names the unit of each converted family. Every object with `condition` (the English text
of the WMO code, for clients to match on) also has `condition_label`, the same condition in the
language of the response (CONTRACT.md §3, "Languages"): the English text looked up in the
message catalogue, under the context `weather condition`.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import pgettext
from rest_framework import serializers

from adapters.rest.serializers.output import (
    Converter,
    FlatResultSerializer,
    LocalizedField,
    Writer,
)
from adapters.rest.serializers.queries import (
    CalendarDateField,
    InstantField,
    PageQuerySerializer,
    UnitsQuerySerializer,
)
from application.use_cases.get_daily_forecast import MAX_DAYS
from application.use_cases.get_hourly_forecast import MAX_HOURS
from domain.weather_codes import CONDITIONS, UNKNOWN_CONDITION

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

#: The catalogue's context of the WMO conditions (`domain.weather_codes`), so that a condition
#: never shares a translation with some other text that happens to be spelt the same.
CONDITION_CONTEXT = "weather condition"


def condition_label(condition: str) -> str:
    """`condition` (an English text of `domain.weather_codes`) in the active language."""
    return pgettext(CONDITION_CONTEXT, condition)


class _Labels(dict[str, str]):
    """The conditions of the table in one language; any other text is looked up when met."""

    def __missing__(self, condition: str) -> str:
        return condition_label(condition)


class ConditionLabelField(LocalizedField):
    """`condition_label`: read from the result's `condition`, written in the active language."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "condition")
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault(
            "help_text",
            "`condition` in the language of the response (`Content-Language`); "
            "`condition` itself stays English.",
        )
        super().__init__(**kwargs)

    def to_representation(self, value: str) -> str:
        return condition_label(value)

    def converter(self) -> Converter:
        labels = _Labels((text, condition_label(text)) for text in CONDITIONS.values())
        labels[UNKNOWN_CONDITION] = condition_label(UNKNOWN_CONDITION)
        return labels.__getitem__


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
    condition_label = ConditionLabelField()
    is_day = serializers.BooleanField(allow_null=True)
    provider = serializers.CharField()
    fetched_at = InstantField()


class CurrentWeatherSerializer(ReadingSerializer):
    """The latest reading, flattened, with the `units` object."""

    units = UnitsSerializer()

    @classmethod
    def writer(cls) -> Writer:
        """The reading's writer (in the active language) plus `units`: asked once per response,
        so that a list with `include=current` looks its language up once, not once per item."""
        write_reading = ReadingSerializer.writer()

        def write(instance: Any) -> dict[str, Any]:
            return {**write_reading(instance.reading), "units": instance.units}

        return write


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
    condition_label = ConditionLabelField()


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
    condition_label = ConditionLabelField()
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
