"""``/locations/<id>/``: one location's page for a person (CONTRACT.md §5).

The view translates: path and query string → `GetLocationPageQuery`, one use case, result →
template. It adds only presentation: numbers rounded for people, chart series as JSON for the
page's script (``static/dashboard/location.js``, which draws them with the vendored Chart.js and
re-reads this page when the event stream says the weather changed), and the texts the script
shows, already in the page's language.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from dependency_injector.wiring import Provide, inject
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_safe

from adapters.dashboard.problem_pages import (
    bad_parameter_page,
    problem_page,
    storage_unavailable_page,
)
from adapters.dashboard.viewers import viewer_id_of
from application.results.alerts import AlertRuleResult
from application.results.weather import DailySummaryResult, HourlyPointResult
from application.use_cases.get_location_page import (
    GetLocationPage,
    GetLocationPageQuery,
    LocationPageResult,
)
from domain.alerts import Metric, Operator
from domain.errors import InvalidInput, NotFound, StorageUnavailable
from domain.units import Quantity, UnitSystem, express

#: The words of each metric a rule watches, and the quantity that decides its unit.
METRICS: dict[Metric, tuple[Any, Quantity | None]] = {
    Metric.TEMPERATURE: (pgettext_lazy("alert metric", "Temperature"), Quantity.TEMPERATURE),
    Metric.APPARENT_TEMPERATURE: (
        pgettext_lazy("alert metric", "Feels like"),
        Quantity.TEMPERATURE,
    ),
    Metric.WIND_SPEED: (pgettext_lazy("alert metric", "Wind speed"), Quantity.SPEED),
    Metric.WIND_GUSTS: (pgettext_lazy("alert metric", "Wind gusts"), Quantity.SPEED),
    Metric.PRECIPITATION: (pgettext_lazy("alert metric", "Precipitation"), Quantity.PRECIPITATION),
    Metric.RELATIVE_HUMIDITY: (pgettext_lazy("alert metric", "Humidity"), None),
}
OPERATORS = {Operator.GT: ">", Operator.GTE: "≥", Operator.LT: "<", Operator.LTE: "≤"}


@require_safe  # GET and HEAD
@inject
def location_page(
    request: HttpRequest,
    location_id: uuid.UUID,
    get_location_page: GetLocationPage = Provide["get_location_page"],
) -> HttpResponse:
    try:
        units = UnitSystem.parse(request.GET.get("units", UnitSystem.METRIC.value))
    except InvalidInput as error:
        return bad_parameter_page(request, error)
    query = GetLocationPageQuery(
        location_id=location_id, units=units, viewer_id=viewer_id_of(request)
    )
    try:
        page = get_location_page.execute(query)
    except NotFound:
        return problem_page(
            request,
            404,
            gettext_lazy("Location not found"),
            gettext("No tracked location has this address. It may have been removed."),
        )
    except StorageUnavailable:
        return storage_unavailable_page(request)
    context = {
        "page": page,
        "location": page.location,
        "units": page.units,
        "unit_system": page.unit_system.value,
        "rules": [_rule_line(rule, page.unit_system, page.units) for rule in page.rules],
        "chart_data": _chart_data(page),
        "script_texts": _script_texts(),
        "signed_in": query.viewer_id is not None,
    }
    return render(request, "dashboard/location.html", context)


def _rounded(value: float | None, decimals: int) -> float | None:
    return None if value is None else round(value, decimals)


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _chart_data(page: LocationPageResult) -> dict[str, object]:
    """The charts' series, rounded as people read them (tenths of a degree, hundredths of a
    millimetre or inch); times as instants, which the script shows in the location's zone."""
    hourly: Sequence[HourlyPointResult] = page.hourly
    history: Sequence[DailySummaryResult] = page.history
    return {
        "timezone": page.location.timezone,
        "units": page.units,
        "hourly": [
            {
                "time": _instant(point.time),
                "temperature": _rounded(point.temperature, 1),
                "precipitation": _rounded(point.precipitation, 2),
            }
            for point in hourly
        ],
        "history": [
            {
                "date": day.date.isoformat(),
                "min": _rounded(day.temperature_min, 1),
                "max": _rounded(day.temperature_max, 1),
            }
            for day in history
        ],
    }


def _script_texts() -> dict[str, str]:
    """What the page's script may show, in the page's language (the script has no catalogue)."""
    return {
        "temperature": gettext("Temperature"),
        "precipitation": gettext("Precipitation"),
        "daily_min": gettext("Daily minimum"),
        "daily_max": gettext("Daily maximum"),
        "no_hourly": gettext("No hourly forecast yet."),
        "no_history": gettext("No readings in the last 7 days yet."),
        "queuing": gettext("Asking for a refresh…"),
        "queued": gettext("Refresh queued, waiting for a worker…"),
        "started": gettext("Fetching the latest weather…"),
        "retry": gettext("The weather provider did not answer; trying again…"),
        "success": gettext("Refreshed."),
        "failure": gettext("The refresh failed: {error}"),
        "timeout": gettext("The refresh is taking long; the page will update when it is done."),
        "refresh_error": gettext("The refresh could not be queued: {error}"),
        "live_open": gettext("Live: this page updates itself."),
        "live_lost": gettext("Live updates are interrupted; reconnecting…"),
        "reload_failed": gettext("The latest weather could not be loaded; showing what was."),
        "deleted": gettext("This location has been removed."),
    }


def _rule_line(rule: AlertRuleResult, system: UnitSystem, units: dict[str, str]) -> dict[str, Any]:
    """A rule as a person reads it: "Temperature > 30.0 °C", in the page's unit system."""
    label, quantity = METRICS[rule.metric]
    if quantity is None:
        threshold, unit = rule.threshold, "%"
    else:
        threshold = express(quantity, rule.threshold, system) or 0.0
        unit = units[quantity.value]
    return {
        "id": rule.id,
        "metric": label,
        "operator": OPERATORS[rule.operator],
        "threshold": threshold,
        "unit": unit,
        "active": rule.active,
        "webhook": rule.webhook_url is not None,
    }
