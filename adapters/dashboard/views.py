"""``/``: the tracked locations and their latest readings, as one server-rendered page.

The view only translates: query string → `GetWeatherOverviewQuery`, one use case, result →
template. A bad parameter is a plain 400 page naming it; a database that cannot be reached is
a plain 503 page. Nothing here queries storage or converts units itself.
"""

from __future__ import annotations

import re

from dependency_injector.wiring import Provide, inject
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from application.pagination import MAX_PAGE_SIZE, PageRequest
from application.use_cases.get_weather_overview import (
    GetWeatherOverview,
    GetWeatherOverviewQuery,
)
from domain.errors import InvalidInput, StorageUnavailable
from domain.units import UnitSystem

#: The highest page number accepted, as in the API: beyond it an offset stops being a number
#: every database can hold, and no real list is that long.
MAX_PAGE = 10_000_000
_INTEGER = re.compile(r"[+-]?[0-9]{1,20}")


#: As the API's 503s say (adapters/rest/problems.py): outages last seconds to minutes.
OUTAGE_RETRY_AFTER_SECONDS = 10


@require_safe  # GET and HEAD
@inject
def overview(
    request: HttpRequest,
    get_weather_overview: GetWeatherOverview = Provide["get_weather_overview"],
) -> HttpResponse:
    try:
        query = _query_of(request.GET)
    except InvalidInput as error:
        return _problem(request, 400, "Bad request", error.reason, field=error.field)
    try:
        result = get_weather_overview.execute(query)
    except StorageUnavailable:
        page = _problem(request, 503, "Service unavailable", "The database cannot be reached.")
        page["Retry-After"] = str(OUTAGE_RETRY_AFTER_SECONDS)
        return page
    context = {"overview": result, "search": query.search or ""}
    return render(request, "dashboard/overview.html", context)


def _problem(
    request: HttpRequest, status: int, title: str, reason: str, *, field: str | None = None
) -> HttpResponse:
    """A plain error page: what went wrong and, for a bad parameter, which one."""
    context = {"title": title, "reason": reason, "field": field}
    return render(request, "dashboard/problem.html", context, status=status)


def _query_of(params: QueryDict) -> GetWeatherOverviewQuery:
    """The page the query string asks for (`page`, `search`, `units`), else `InvalidInput`."""
    search = params.get("search", "")
    if "\x00" in search:
        raise InvalidInput("search", "must not contain NUL characters.")
    return GetWeatherOverviewQuery(
        search=search.strip() or None,
        page=PageRequest(_page_number(params.get("page", "1")), MAX_PAGE_SIZE),
        units=UnitSystem.parse(params.get("units", UnitSystem.METRIC.value)),
    )


def _page_number(raw: str) -> int:
    """A whole number; whether it is a valid page (positive) is `PageRequest`'s rule."""
    if not _INTEGER.fullmatch(raw.strip()):
        raise InvalidInput("page", "must be a positive integer.")
    number = int(raw)
    if number > MAX_PAGE:
        raise InvalidInput("page", f"must be at most {MAX_PAGE}.")
    return number
