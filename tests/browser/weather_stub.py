"""The stand-in Open-Meteo the browser tests' server talks to: forecast, archive and geocoding.

The recorded answers of `tests/support/fixtures/` (through `tests.support.provider_answers`) are
dated September 2026, and the location page shows the *next* 48 hours and the *last* 7 days: a
page fed those dates verbatim would draw empty charts, and "the chart shows as many points as the
API gives" would hold as 0 = 0. So the forecast here is the recorded one moved to today, at the
location's own time zone (the recording's, Europe/Samara), with an hourly series added; the
archive is `provider_answers.archive_hours`, which dates its hours from the request. The current
reading's time and temperature are the test's to change (`observed_at`, `temperature`), so that a
second refresh stores a new reading that an open page must show.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.support import provider_answers

#: The recording's place: the stub answers for it whatever coordinates are asked.
ZONE = ZoneInfo("Europe/Samara")


def hourly_temperature(moment: datetime) -> float:
    """A daily swing: 8 °C at local midnight up to 13.75 °C at 23:00."""
    return 8.0 + moment.hour / 4


def hourly_precipitation(moment: datetime) -> float:
    """Rain every third hour, so the precipitation bars have something to draw."""
    return 0.6 if moment.hour % 3 == 0 else 0.0


def forecast_answer(observed_at: datetime, temperature: float) -> dict[str, object]:
    """The recorded forecast on today's dates: current at `observed_at` (local, to the minute),
    16 daily days from the local today, and 384 hours from its midnight, in unix seconds."""
    local = observed_at.astimezone(ZONE)
    today = local.date()
    answer = provider_answers.with_days(
        provider_answers.samara_forecast(), provider_answers.FORECAST_DAYS
    )
    answer["daily"]["time"] = [
        (today + timedelta(days=day)).isoformat() for day in range(provider_answers.FORECAST_DAYS)
    ]
    answer["current"]["time"] = local.strftime("%Y-%m-%dT%H:%M")
    answer["current"]["temperature_2m"] = temperature
    midnight = datetime.combine(today, time())
    count = provider_answers.FORECAST_DAYS * 24
    hours = [midnight + timedelta(hours=hour) for hour in range(count)]
    return provider_answers.in_unixtime(
        provider_answers.with_hourly(
            answer,
            [hour.strftime("%Y-%m-%dT%H:%M") for hour in hours],
            temperature_2m=[hourly_temperature(hour) for hour in hours],
            precipitation=[hourly_precipitation(hour) for hour in hours],
            weather_code=[3] * len(hours),
            wind_speed_10m=[3.0] * len(hours),
        )
    )


class WeatherStub:
    """Open-Meteo's forecast, archive and geocoding endpoints on one local server."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self._lock = threading.Lock()
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        self.observed_at = now - timedelta(minutes=30)
        self.temperature = 18.5
        self.forecast_requests = 0
        server.expect_request(provider_answers.FORECAST_PATH).respond_with_handler(self._forecast)
        server.expect_request(provider_answers.ARCHIVE_PATH).respond_with_handler(self._archive)
        server.expect_request(provider_answers.GEOCODING_PATH).respond_with_handler(self._geocode)

    def set_current(self, *, observed_at: datetime, temperature: float) -> None:
        """What the next forecast request answers as the current reading."""
        with self._lock:
            self.observed_at = observed_at
            self.temperature = temperature

    def environment(self) -> dict[str, str]:
        """Points a project's processes at this stub, Open-Meteo only (no MET Norway fallback,
        so a failure here is a failure, not a quiet switch to another provider)."""
        return {
            "WEATHER_PROVIDERS": "open-meteo",
            "WEATHER_GEOCODERS": "open-meteo",
            "OPEN_METEO_FORECAST_URL": self.server.url_for(provider_answers.FORECAST_PATH),
            "OPEN_METEO_ARCHIVE_URL": self.server.url_for(provider_answers.ARCHIVE_PATH),
            "OPEN_METEO_GEOCODING_URL": self.server.url_for(provider_answers.GEOCODING_PATH),
        }

    def _forecast(self, request: Request) -> Response:
        with self._lock:
            self.forecast_requests += 1
            one = forecast_answer(self.observed_at, self.temperature)
        count = provider_answers.locations_asked(request.args.get("latitude", ""))
        body = one if count == 1 else [one] * count
        return Response(json.dumps(body), 200, content_type="application/json")

    def _archive(self, request: Request) -> Response:
        status, body = provider_answers.archive_hours(request.args)
        return Response(json.dumps(body), status, content_type="application/json")

    def _geocode(self, request: Request) -> Response:
        return Response(
            provider_answers.fixture_bytes("open-meteo/geocoding_samara.json"),
            200,
            content_type="application/json",
        )
