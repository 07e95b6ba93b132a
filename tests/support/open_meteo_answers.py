"""What Open-Meteo's forecast API answers, for local stand-ins of it: the recorded fixture with
times as unix seconds, 16 days / 384 hours as the provider asks, one answer per asked location.

Workers started by the tests reach it through ``OPEN_METEO_FORECAST_URL``: nothing leaves the
machine. The current reading's time is fixed by the fixture, so refreshing twice yields the same
observation key — which is what lets a test see that a redelivered refresh stores nothing twice.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

FORECAST_PATH = "/v1/forecast"
# The repository's copy of the recorded answers (/work/shared/fixtures/open-meteo).
FIXTURES = (
    Path(__file__).resolve().parents[1] / "integration" / "providers" / "fixtures" / "open-meteo"
)
FORECAST_FIXTURE = FIXTURES / "forecast_current_daily_samara.json"
ERROR_FIXTURE = FIXTURES / "error_out_of_range.json"
FORECAST_DAYS = 16


def one_location_answer() -> dict[str, object]:
    answer = json.loads(FORECAST_FIXTURE.read_text(encoding="utf-8"))
    zone = ZoneInfo(answer["timezone"])
    daily = answer["daily"]
    first_day = datetime.fromisoformat(daily["time"][0])
    days = [first_day + timedelta(days=offset) for offset in range(FORECAST_DAYS)]
    daily["time"] = [int(day.replace(tzinfo=zone).timestamp()) for day in days]
    answer["daily_units"]["time"] = answer["current_units"]["time"] = "unixtime"
    current = datetime.fromisoformat(answer["current"]["time"]).replace(tzinfo=zone)
    answer["current"]["time"] = int(current.timestamp())
    for name, values in list(daily.items()):
        if name != "time" and isinstance(values, list):
            daily[name] = [values[offset % len(values)] for offset in range(FORECAST_DAYS)]
    hours = [first_day + timedelta(hours=hour) for hour in range(FORECAST_DAYS * 24)]
    answer["hourly_units"] = {
        "time": "unixtime",
        "temperature_2m": "°C",
        "weather_code": "wmo code",
        "wind_speed_10m": "m/s",
    }
    answer["hourly"] = {
        "time": [int(hour.replace(tzinfo=zone).timestamp()) for hour in hours],
        "temperature_2m": [12.0 + hour.hour / 4 for hour in hours],
        "weather_code": [3] * len(hours),
        "wind_speed_10m": [3.0] * len(hours),
    }
    return dict(answer)


@cache
def answer_bytes(count: int) -> bytes:
    """The body Open-Meteo gives for `count` locations (an object for one, an array for more)."""
    one = one_location_answer()
    if count == 1:
        return json.dumps(one).encode()
    return json.dumps([copy.deepcopy(one) for _ in range(count)]).encode()


def error_bytes() -> bytes:
    return ERROR_FIXTURE.read_bytes()


def locations_asked(latitude_parameter: str) -> int:
    return len(latitude_parameter.split(","))
