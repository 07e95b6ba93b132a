"""The API's routes, included under ``/api/v1/`` by ``server_config.urls`` (namespace ``api``)."""

from __future__ import annotations

from django.urls import path

from adapters.rest.controllers import alerts, auth, events, geocode, locations, tasks, weather

app_name = "api"

urlpatterns = [
    path("auth/token/", auth.TokenController.as_view(), name="auth-token"),
    path("locations/", locations.LocationCollectionController.as_view(), name="location-list"),
    path(
        "locations/<uuid:location_id>/",
        locations.LocationController.as_view(),
        name="location-detail",
    ),
    path(
        "locations/<uuid:location_id>/weather/current/",
        weather.CurrentWeatherController.as_view(),
        name="weather-current",
    ),
    path(
        "locations/<uuid:location_id>/weather/forecast/",
        weather.HourlyForecastController.as_view(),
        name="weather-forecast-hourly",
    ),
    path(
        "locations/<uuid:location_id>/weather/forecast/daily/",
        weather.DailyForecastController.as_view(),
        name="weather-forecast-daily",
    ),
    path(
        "locations/<uuid:location_id>/weather/history/",
        weather.HistoryController.as_view(),
        name="weather-history",
    ),
    path(
        "locations/<uuid:location_id>/weather/daily/",
        weather.DailySummariesController.as_view(),
        name="weather-daily-summaries",
    ),
    path(
        "locations/<uuid:location_id>/refresh/",
        tasks.LocationRefreshController.as_view(),
        name="location-refresh",
    ),
    path("geocode/", geocode.GeocodeController.as_view(), name="geocode"),
    path("refresh/", tasks.RefreshAllController.as_view(), name="refresh-all"),
    path("tasks/<str:task_id>/", tasks.TaskStatusController.as_view(), name="task-status"),
    path("alert-rules/", alerts.AlertRuleCollectionController.as_view(), name="alert-rule-list"),
    path(
        "alert-rules/<uuid:rule_id>/",
        alerts.AlertRuleController.as_view(),
        name="alert-rule-detail",
    ),
    path("alerts/", alerts.AlertCollectionController.as_view(), name="alert-list"),
    path("events/", events.EventStreamController.as_view(), name="event-stream"),
    path("events/tickets/", events.StreamTicketController.as_view(), name="event-stream-tickets"),
]
