"""What the weather providers answer, for the stub servers every test package and benchmark runs
against: the recorded answers in `fixtures/`, and variations of their shapes.

Every payload here starts from a recorded answer (a file in `fixtures/`, verbatim copies of the
real APIs' answers) and changes values or repeats its structures; none is invented from scratch.
The paths are those the clients ask for, so a stub serves an answer where a client looks for it.

`answer_bytes` is what the deployments and workers that tests start are given through
``OPEN_METEO_FORECAST_URL`` (nothing leaves the machine): its current reading's time is fixed
by the recording, so refreshing twice yields the same observation key, which is what lets a test
see that a redelivered refresh stores nothing twice.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

FIXTURES = Path(__file__).parent / "fixtures"

FORECAST_PATH = "/v1/forecast"
GEOCODING_PATH = "/v1/search"
ARCHIVE_PATH = "/v1/archive"
MET_PATH = "/weatherapi/locationforecast/2.0/compact"

Json = dict[str, Any]


def fixture(name: str) -> Any:
    """A recorded answer, freshly loaded (callers may change it)."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# --- Open-Meteo -----------------------------------------------------------------------------------


def samara_forecast() -> Json:
    """The recorded forecast: current and daily, local ISO times (Europe/Samara, UTC+4)."""
    payload: Json = fixture("open-meteo/forecast_current_daily_samara.json")
    return payload


def with_hourly(payload: Json, times: Sequence[object], **columns: Sequence[object]) -> Json:
    """The same answer with an `hourly` block, shaped like its `daily` one (time + columns)."""
    result = copy.deepcopy(payload)
    units = {"time": result["current_units"]["time"]}
    hourly_units = {
        "temperature_2m": "°C",
        "apparent_temperature": "°C",
        "relative_humidity_2m": "%",
        "precipitation_probability": "%",
        "precipitation": "mm",
        "wind_speed_10m": result["current_units"]["wind_speed_10m"],
        "wind_direction_10m": "°",
        "weather_code": "wmo code",
    }
    units.update({name: hourly_units[name] for name in columns})
    result["hourly_units"] = units
    result["hourly"] = {"time": list(times), **{name: list(v) for name, v in columns.items()}}
    return result


def in_unixtime(payload: Json) -> Json:
    """The answer as `timeformat=unixtime` gives it: every `time` in UTC epoch seconds."""
    result = copy.deepcopy(payload)
    zone = ZoneInfo(result["timezone"])

    def epoch(local: str) -> int:
        moment = datetime.fromisoformat(local)
        if len(local) == 10:  # a daily date: its local midnight
            moment = datetime.combine(moment.date(), datetime.min.time())
        return int(moment.replace(tzinfo=zone).timestamp())

    for block in ("current", "hourly", "daily"):
        if block not in result:
            continue
        result[f"{block}_units"]["time"] = "unixtime"
        data = result[block]
        if block == "current":
            data["time"] = epoch(data["time"])
        else:
            data["time"] = [epoch(value) for value in data["time"]]
    return result


def moved_to(payload: Json, *, timezone: str, utc_offset_seconds: int) -> Json:
    """The same answer for a place in another time zone (the wall-clock strings unchanged)."""
    result = copy.deepcopy(payload)
    result["timezone"] = timezone
    result["utc_offset_seconds"] = utc_offset_seconds
    return result


def with_temperature(payload: Json, temperature: float) -> Json:
    """A copy whose current temperature tells locations of one batch apart."""
    result = copy.deepcopy(payload)
    result["current"]["temperature_2m"] = temperature
    return result


def full_forecast(hours: int = 48) -> Json:
    """The recorded forecast with an hourly series added, as the provider asks for it."""
    start = datetime(2026, 9, 15)
    return with_hourly(
        samara_forecast(),
        [(start + timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M") for hour in range(hours)],
        temperature_2m=[15.0 + hour % 24 / 4 for hour in range(hours)],
        precipitation=[0.0] * hours,
        weather_code=[3] * hours,
        wind_speed_10m=[3.0] * hours,
    )


def forecast_batch(count: int) -> list[Json]:
    """A multi-location answer: an array of single-location objects, temperature = index."""
    base = full_forecast()
    return [with_temperature(base, float(index)) for index in range(count)]


def with_days(payload: Json, days: int) -> Json:
    """The same answer over `days` days from its first one, its daily values repeated in turn."""
    result = copy.deepcopy(payload)
    daily = result["daily"]
    first = date.fromisoformat(daily["time"][0])
    for name, values in list(daily.items()):
        if name != "time" and isinstance(values, list):
            daily[name] = [values[offset % len(values)] for offset in range(days)]
    daily["time"] = [(first + timedelta(days=offset)).isoformat() for offset in range(days)]
    return result


#: What the forecast client asks for by default (16 days, 384 hours).
FORECAST_DAYS = 16


def one_location_answer() -> Json:
    """The recorded forecast as the client asks for it: 16 days and 384 hours, unix seconds."""
    answer = with_days(samara_forecast(), FORECAST_DAYS)
    first = datetime.fromisoformat(answer["daily"]["time"][0])
    hours = [first + timedelta(hours=hour) for hour in range(FORECAST_DAYS * 24)]
    return in_unixtime(
        with_hourly(
            answer,
            [hour.strftime("%Y-%m-%dT%H:%M") for hour in hours],
            temperature_2m=[12.0 + hour.hour / 4 for hour in hours],
            weather_code=[3] * len(hours),
            wind_speed_10m=[3.0] * len(hours),
        )
    )


@cache
def answer_bytes(count: int) -> bytes:
    """The body Open-Meteo gives for `count` locations (an object for one, an array for more)."""
    one = one_location_answer()
    if count == 1:
        return json.dumps(one).encode()
    return json.dumps([copy.deepcopy(one) for _ in range(count)]).encode()


def error_bytes() -> bytes:
    """Open-Meteo's answer to a request it refuses (400)."""
    return fixture_bytes("open-meteo/error_out_of_range.json")


def locations_asked(latitude_parameter: str) -> int:
    return len(latitude_parameter.split(","))


def archive_answer(start: datetime, hours: int, *, missing_tail: int = 0) -> Json:
    """An archive answer (same shape as the forecast's hourly part), unixtime, GMT.

    The last `missing_tail` hours are `null` in every series, as for days the reanalysis has
    not reached yet.
    """
    times = [int((start + timedelta(hours=hour)).timestamp()) for hour in range(hours)]

    def column(value: float) -> list[float | None]:
        return [value + hour % 24 if hour < hours - missing_tail else None for hour in range(hours)]

    return _archive_envelope(
        {
            "time": "unixtime",
            "temperature_2m": "°C",
            "relative_humidity_2m": "%",
            "wind_speed_10m": "m/s",
        },
        {
            "time": times,
            "temperature_2m": column(0.0),
            "relative_humidity_2m": column(50.0),
            "wind_speed_10m": column(1.0),
        },
    )


def _archive_envelope(hourly_units: Json, hourly: Json) -> Json:
    """An archive answer around its `hourly` series: the recorded place, in GMT."""
    base = samara_forecast()
    return {
        "latitude": base["latitude"],
        "longitude": base["longitude"],
        "generationtime_ms": base["generationtime_ms"],
        "utc_offset_seconds": 0,
        "timezone": "GMT",
        "timezone_abbreviation": "GMT",
        "elevation": base["elevation"],
        "hourly_units": hourly_units,
        "hourly": hourly,
    }


#: The archive's `hourly_units`, in its own spelling, for the units the clients ask for
#: (`wind_speed_unit=ms`; °C and mm are the API's defaults).
ARCHIVE_UNITS = {
    "temperature_2m": "°C",
    "apparent_temperature": "°C",
    "relative_humidity_2m": "%",
    "dew_point_2m": "°C",
    "pressure_msl": "hPa",
    "wind_speed_10m": "m/s",
    "wind_direction_10m": "°",
    "wind_gusts_10m": "m/s",
    "precipitation": "mm",
    "cloud_cover": "%",
    "weather_code": "wmo code",
}


def _archive_value(name: str, moment: datetime) -> float | int:
    """A plausible value of series `name` at `moment`; the temperature is the UTC hour."""
    if name == "weather_code":
        return 3
    base = {
        "temperature_2m": 0.0,
        "apparent_temperature": -1.0,
        "relative_humidity_2m": 50.0,
        "dew_point_2m": -5.0,
        "pressure_msl": 1013.0,
        "wind_speed_10m": 1.0,
        "wind_direction_10m": 180.0,
        "wind_gusts_10m": 2.0,
        "precipitation": 0.0,
        "cloud_cover": 25.0,
    }[name]
    return base + moment.hour if name == "temperature_2m" else base


def archive_hours(
    args: Mapping[str, str], *, computed_until: datetime | None = None
) -> tuple[int, Json]:
    """The archive's answer to a request (its query `args`): every hour from 00:00 of
    `start_date` to 23:00 of `end_date`, both UTC dates as `timezone=GMT` makes them, with a
    column of each variable named in `hourly`, in unix seconds as `timeformat=unixtime` asks.
    Hours from `computed_until` on are `null` in every series, as the hours the reanalysis has
    not reached yet. Returns the HTTP status too: a request in another zone is answered 400 in
    the API's error shape, since this stub does not imitate the API's single-offset zones.
    """
    if args.get("timezone") != "GMT" or args.get("timeformat") != "unixtime":
        return 400, {"error": True, "reason": "This stub answers timezone=GMT in unixtime only."}
    start = date.fromisoformat(args["start_date"])
    end = date.fromisoformat(args["end_date"])
    first = datetime.combine(start, time(), tzinfo=UTC)
    moments = [first + timedelta(hours=hour) for hour in range(((end - start).days + 1) * 24)]
    variables = args["hourly"].split(",")

    def column(name: str) -> list[float | int | None]:
        return [
            None if computed_until is not None and moment >= computed_until
            else _archive_value(name, moment)
            for moment in moments
        ]  # fmt: skip

    return 200, _archive_envelope(
        {"time": "unixtime", **{name: ARCHIVE_UNITS[name] for name in variables}},
        {
            "time": [int(moment.timestamp()) for moment in moments],
            **{name: column(name) for name in variables},
        },
    )


# --- MET Norway -----------------------------------------------------------------------------------


def met_excerpt() -> Json:
    """The recorded single time step (2020-06-10T13:00Z, partly cloudy, 20.7 °C)."""
    payload: Json = fixture("met-norway/locationforecast_complete_excerpt.json")
    return payload


MET_SIX_HOUR_RAIN = 3.0


def met_series(steps: Sequence[tuple[datetime, float, str, float | None]]) -> Json:
    """The excerpt with its one step repeated at `steps`: (time, temperature, symbol, 1 h rain).

    A `None` rain drops `next_1_hours`, as MET does beyond the hourly part of the series. Each
    step's 6-hour period says `MET_SIX_HOUR_RAIN` mm, between `temperature` ± 1 °C.
    """
    payload = met_excerpt()
    template = payload["properties"]["timeseries"][0]
    series = []
    for moment, temperature, symbol, rain in steps:
        step = copy.deepcopy(template)
        step["time"] = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        step["data"]["instant"]["details"]["air_temperature"] = temperature
        six_hours = step["data"]["next_6_hours"]
        six_hours["summary"]["symbol_code"] = symbol
        six_hours["details"]["precipitation_amount"] = MET_SIX_HOUR_RAIN
        six_hours["details"]["air_temperature_min"] = temperature - 1.0
        six_hours["details"]["air_temperature_max"] = temperature + 1.0
        step["data"]["next_12_hours"]["summary"]["symbol_code"] = symbol
        if rain is None:
            del step["data"]["next_1_hours"]
        else:
            step["data"]["next_1_hours"]["summary"]["symbol_code"] = symbol
            step["data"]["next_1_hours"]["details"]["precipitation_amount"] = rain
        series.append(step)
    payload["properties"]["timeseries"] = series
    return payload
