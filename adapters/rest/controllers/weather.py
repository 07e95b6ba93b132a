"""`/locations/{id}/weather/…`: current conditions, forecasts, history and daily summaries.

Current weather and forecasts answer conditional requests (`ETag` / `If-None-Match` → 304).
Every answer here is a public read, fresh until its data can next change
(`adapters/rest/cache_control.py`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from dependency_injector.wiring import Provide, Provider, inject
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from adapters.rest import cache_control
from adapters.rest.conditional import conditional_response
from adapters.rest.openapi import IF_NONE_MATCH, NOT_MODIFIED, problems
from adapters.rest.pagination import paginated, paginated_serializer
from adapters.rest.parsing import parse_query
from adapters.rest.representations import Rendering, Representations
from adapters.rest.serializers.queries import UnitsQuerySerializer
from adapters.rest.serializers.weather import (
    UNITS_EXAMPLE,
    CurrentWeatherSerializer,
    DailyForecastQuerySerializer,
    DailyForecastSerializer,
    DailySummariesQuerySerializer,
    DailySummariesSerializer,
    HistoryEnvelopeSerializer,
    HistoryQuerySerializer,
    HourlyForecastQuerySerializer,
    HourlyForecastSerializer,
    ReadingSerializer,
)
from application.ports.clock import Clock
from application.use_cases.get_current_weather import GetCurrentWeather, GetCurrentWeatherQuery
from application.use_cases.get_daily_forecast import GetDailyForecast, GetDailyForecastQuery
from application.use_cases.get_daily_summaries import GetDailySummaries, GetDailySummariesQuery
from application.use_cases.get_history import GetHistory, GetHistoryQuery
from application.use_cases.get_hourly_forecast import GetHourlyForecast, GetHourlyForecastQuery
from domain.units import UnitSystem

TAG = "weather"
PaginatedHistorySerializer = paginated_serializer(
    ReadingSerializer, "PaginatedHistory", envelope=HistoryEnvelopeSerializer
)

_CURRENT_EXAMPLE = OpenApiExample(
    "Overcast in Paris",
    value={
        "location_id": "3f2c1b7e-8a51-4c1e-9f0a-2b8d6c4e5a10",
        "observed_at": "2026-11-24T14:00:00Z",
        "temperature": 8.4,
        "apparent_temperature": 5.9,
        "relative_humidity": 81.0,
        "dew_point": 5.3,
        "pressure": 1017.2,
        "wind_speed": 14.4,
        "wind_direction": 230.0,
        "wind_gusts": 31.7,
        "precipitation": 0.0,
        "cloud_cover": 100.0,
        "weather_code": 3,
        "condition": "Overcast",
        "is_day": True,
        "provider": "open-meteo",
        "fetched_at": "2026-11-24T14:03:12Z",
        "units": UNITS_EXAMPLE,
    },
    response_only=True,
)


def _units(query: dict[str, object]) -> UnitSystem:
    """Takes `units` out of the parsed query, so the rest maps onto the use case's query."""
    return UnitSystem(str(query.pop("units")))


class CurrentWeatherController(APIView):
    @extend_schema(
        tags=[TAG],
        summary="The latest observation (404 until one has been fetched)",
        parameters=[UnitsQuerySerializer, IF_NONE_MATCH],
        responses={200: CurrentWeatherSerializer, **NOT_MODIFIED, **problems(400, 404)},
        examples=[_CURRENT_EXAMPLE],
    )
    @inject
    def get(
        self,
        request: Request,
        location_id: uuid.UUID,
        get_current: Callable[[], GetCurrentWeather] = Provider["get_current_weather"],
        clock: Clock = Provide["clock"],
        representations: Representations = Provide["representations"],
    ) -> HttpResponse:
        def render() -> Rendering:
            query = parse_query(UnitsQuerySerializer, request)
            units = _units(query)
            current = get_current().execute(
                GetCurrentWeatherQuery(location_id=location_id, units=units)
            )
            fetched_at = current.reading.fetched_at
            return Rendering(
                CurrentWeatherSerializer(current).data,
                lambda: cache_control.current_weather(fetched_at, clock.now()),
                tagged=True,
            )

        return representations.answer(request, self, render)


class HourlyForecastController(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Hourly forecast from the current hour on",
        parameters=[HourlyForecastQuerySerializer, IF_NONE_MATCH],
        responses={200: HourlyForecastSerializer, **NOT_MODIFIED, **problems(400, 404)},
    )
    @inject
    def get(
        self,
        request: Request,
        location_id: uuid.UUID,
        get_forecast: GetHourlyForecast = Provide["get_hourly_forecast"],
        clock: Clock = Provide["clock"],
    ) -> Response:
        query = parse_query(HourlyForecastQuerySerializer, request)
        units = _units(query)
        forecast = get_forecast.execute(
            GetHourlyForecastQuery(location_id=location_id, units=units, **query)
        )
        freshness = cache_control.hourly_forecast(forecast.fetched_at, clock.now())
        return conditional_response(request, HourlyForecastSerializer(forecast).data, freshness)


class DailyForecastController(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Daily forecast from the location's today on",
        parameters=[DailyForecastQuerySerializer, IF_NONE_MATCH],
        responses={200: DailyForecastSerializer, **NOT_MODIFIED, **problems(400, 404)},
    )
    @inject
    def get(
        self,
        request: Request,
        location_id: uuid.UUID,
        get_forecast: GetDailyForecast = Provide["get_daily_forecast"],
        clock: Clock = Provide["clock"],
    ) -> Response:
        query = parse_query(DailyForecastQuerySerializer, request)
        units = _units(query)
        forecast = get_forecast.execute(
            GetDailyForecastQuery(location_id=location_id, units=units, **query)
        )
        freshness = cache_control.daily_forecast(
            forecast.fetched_at, forecast.timezone, clock.now()
        )
        return conditional_response(request, DailyForecastSerializer(forecast).data, freshness)


class HistoryController(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Observations in [start, end), oldest first",
        parameters=[HistoryQuerySerializer],
        responses={200: PaginatedHistorySerializer, **problems(400, 404)},
    )
    @inject
    def get(
        self,
        request: Request,
        location_id: uuid.UUID,
        get_history: GetHistory = Provide["get_history"],
        clock: Clock = Provide["clock"],
    ) -> Response:
        query = parse_query(HistoryQuerySerializer, request)
        units = _units(query)
        history = get_history.execute(
            GetHistoryQuery(location_id=location_id, units=units, **query)
        )
        envelope = HistoryEnvelopeSerializer(history).data
        response = Response(paginated(request, history.page, ReadingSerializer, envelope))
        freshness = cache_control.history(history.end, clock.now())
        return cache_control.public_read(request, response, freshness)


class DailySummariesController(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Daily aggregates of observations by the location's local calendar day",
        parameters=[DailySummariesQuerySerializer],
        responses={200: DailySummariesSerializer, **problems(400, 404)},
    )
    @inject
    def get(
        self,
        request: Request,
        location_id: uuid.UUID,
        get_summaries: GetDailySummaries = Provide["get_daily_summaries"],
        clock: Clock = Provide["clock"],
    ) -> Response:
        query = parse_query(DailySummariesQuerySerializer, request)
        units = _units(query)
        summaries = get_summaries.execute(
            GetDailySummariesQuery(location_id=location_id, units=units, **query)
        )
        response = Response(DailySummariesSerializer(summaries).data)
        freshness = cache_control.daily_summaries(summaries.end, summaries.timezone, clock.now())
        return cache_control.public_read(request, response, freshness)
