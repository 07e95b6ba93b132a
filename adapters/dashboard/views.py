"""``/``: the tracked locations and their latest readings, as one server-rendered page, with a
search box over them and, for a signed-in user, "add a place" through the geocoder.

The view only translates: query string → `GetWeatherOverviewQuery`, one use case, result →
template. A bad parameter is a plain 400 page naming it; a database that cannot be reached is
a plain 503 page. Nothing here queries storage or converts units itself.

"Add a place" is two steps so that a person chooses: ``/?name=Par`` lists the geocoder's matches
(each a small form that POSTs to `adapters.dashboard.places.add_place`), and the POST registers
the chosen one. A geocoder that cannot be reached is a notice on the page, not an error page: the
tracked locations are still worth showing.
"""

from __future__ import annotations

import re

from dependency_injector.wiring import Provide, inject
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from adapters.dashboard.problem_pages import bad_parameter_page, storage_unavailable_page
from adapters.dashboard.viewers import viewer_id_of
from application.pagination import MAX_PAGE_SIZE, PageRequest
from application.use_cases.geocode import Geocode, GeocodeQuery
from application.use_cases.get_weather_overview import (
    GetWeatherOverview,
    GetWeatherOverviewQuery,
)
from domain.errors import InvalidInput, ProviderUnavailable, StorageUnavailable
from domain.units import UnitSystem

#: The highest page number accepted, as in the API: beyond it an offset stops being a number
#: every database can hold, and no real list is that long.
MAX_PAGE = 10_000_000
_INTEGER = re.compile(r"[+-]?[0-9]{1,20}")

#: How many of the geocoder's matches "add a place" offers: enough to tell Paris from Paris, TX.
PLACE_MATCHES = 8


@require_safe  # GET and HEAD
@inject
def overview(
    request: HttpRequest,
    get_weather_overview: GetWeatherOverview = Provide["get_weather_overview"],
    geocode: Geocode = Provide["geocode"],
) -> HttpResponse:
    try:
        query = _query_of(request.GET)
    except InvalidInput as error:
        return bad_parameter_page(request, error)
    try:
        result = get_weather_overview.execute(query)
    except StorageUnavailable:
        return storage_unavailable_page(request)
    context: dict[str, object] = {"overview": result, "search": query.search or ""}
    place = request.GET.get("name", "").strip()
    if place and viewer_id_of(request) is not None:
        context["place"] = place
        context.update(_matches(geocode, place))
    return render(request, "dashboard/overview.html", context)


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for on every page that names no icon (the admin's,
    Swagger UI's): the dashboard's icon, rather than a 404 in each page's console."""
    return HttpResponseRedirect(static("dashboard/icons/partly-cloudy.svg"))


def _matches(geocode: Geocode, name: str) -> dict[str, object]:
    """The geocoder's matches for "add a place", or the notice that says why there are none."""
    try:
        found = geocode.execute(GeocodeQuery(name=name, count=PLACE_MATCHES))
    except InvalidInput as error:
        return {"place_notice": error.reason_in(gettext), "place_matches": ()}
    except ProviderUnavailable:
        notice = gettext("The place search cannot be reached right now; try again in a minute.")
        return {"place_notice": notice, "place_matches": ()}
    return {"place_matches": found.results}


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
        raise InvalidInput("page", "must be at most {maximum}.", maximum=MAX_PAGE)
    return number
