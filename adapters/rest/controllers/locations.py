"""`/locations/` and `/locations/{id}/`: list, register, read, update and delete locations.

Anyone reads them; an authenticated user registers them and is recorded as the creator; only the
creator or a staff user may update or delete one (CONTRACT.md §3), others get 403. Reads are
public: the same for every caller, which a shared cache may keep (`adapters/rest/cache_control.py`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from dependency_injector.wiring import Provide, Provider, inject
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from adapters.rest import cache_control
from adapters.rest.openapi import (
    AUTHENTICATED,
    WITH_BODY,
    LinkedResponse,
    LinkedSchema,
    link,
    problems,
)
from adapters.rest.pagination import paginated, paginated_serializer
from adapters.rest.parsing import parse_body, parse_query
from adapters.rest.representations import Rendering, Representations
from adapters.rest.requesters import account_of, requester_of
from adapters.rest.serializers.locations import (
    INCLUDE_CURRENT,
    LOCATION_EXAMPLE,
    LOCATION_OPTIONAL_DEFAULTS,
    LocationListQuerySerializer,
    LocationSerializer,
    LocationWithCurrentSerializer,
    LocationWriteSerializer,
)
from application.use_cases.delete_location import DeleteLocation, DeleteLocationCommand
from application.use_cases.get_location import GetLocation, GetLocationQuery
from application.use_cases.list_locations import (
    ListLocations,
    ListLocationsQuery,
    ListLocationsWithCurrentQuery,
)
from application.use_cases.register_location import RegisterLocation, RegisterLocationCommand
from application.use_cases.update_location import UpdateLocation, UpdateLocationCommand
from domain.units import UnitSystem

TAG = "locations"
#: One schema for both shapes of the list: its items' `current` is there with `include=current`.
PaginatedLocationSerializer = paginated_serializer(
    LocationWithCurrentSerializer, "PaginatedLocationList"
)

_WRITE_EXAMPLE = OpenApiExample(
    "Paris",
    value={"name": "Paris", "latitude": 48.8534, "longitude": 2.3488, "timezone": "Europe/Paris"},
    request_only=True,
)
_LOCATION_EXAMPLE = OpenApiExample("Paris", value=LOCATION_EXAMPLE, response_only=True)

#: Who may update or delete a location, as the 403 of those operations says.
_CHANGE_FORBIDDEN = {
    403: "Only the user who registered the location, or a staff user, may change or delete it "
    "(a location added from the command line: staff only)."
}


def _location_links(location_id: str) -> dict[str, dict[str, object]]:
    """What a client can do with a location whose id is at `location_id` of a response."""
    at = {"location_id": location_id}
    return {
        "GetLocation": link("locations_retrieve", "Read it.", parameters=at),
        "ReplaceLocation": link("locations_update", "Replace its fields.", parameters=at),
        "ChangeLocation": link("locations_partial_update", "Change some.", parameters=at),
        "DeleteLocation": link("locations_destroy", "Delete it.", parameters=at),
        "GetCurrentWeather": link(
            "locations_weather_current_retrieve", "Its current weather.", parameters=at
        ),
        "GetHourlyForecast": link(
            "locations_weather_forecast_retrieve", "Its hourly forecast.", parameters=at
        ),
        "GetDailyForecast": link(
            "locations_weather_forecast_daily_retrieve", "Its daily forecast.", parameters=at
        ),
        "GetHistory": link(
            "locations_weather_history_retrieve", "Its observations.", parameters=at
        ),
        "GetDailySummaries": link(
            "locations_weather_daily_retrieve", "Its daily summaries.", parameters=at
        ),
        "RefreshLocation": link("locations_refresh_create", "Fetch its weather.", parameters=at),
        "WatchLocation": link(
            "alert_rules_create",
            "An alert rule on it.",
            request_body={"location_id": location_id},
        ),
    }


class LocationCollectionController(APIView):
    schema = LinkedSchema()

    @extend_schema(
        tags=[TAG],
        operation_id="locations_list",
        summary="List locations, ordered by name; with `include=current`, their current weather",
        description="With `include=current`, each location has `current`: its current "
        "observation in `units`, or null until one has been fetched. The page costs the same "
        "whatever its size.",
        parameters=[LocationListQuerySerializer],
        responses={
            200: LinkedResponse(
                PaginatedLocationSerializer,
                "A page of locations (each with `current` when asked for); the links follow its "
                "first one.",
                links=_location_links("$response.body#/results/0/id"),
            ),
            **problems(400),
        },
    )
    @inject
    def get(
        self,
        request: Request,
        list_locations: Callable[[], ListLocations] = Provider["list_locations"],
        representations: Representations = Provide["representations"],
    ) -> HttpResponse:
        def render() -> Rendering:
            query = parse_query(LocationListQuerySerializer, request)
            units = UnitSystem(query.pop("units"))
            include = query.pop("include", None)
            listing = ListLocationsQuery(**query)
            if include == INCLUDE_CURRENT:
                with_current = list_locations().execute(
                    ListLocationsWithCurrentQuery(listing=listing, units=units)
                )
                data = paginated(request, with_current, LocationWithCurrentSerializer)
            else:
                data = paginated(request, list_locations().execute(listing), LocationSerializer)
            return Rendering(data, cache_control.LIST)

        return representations.answer(request, self, render)

    @extend_schema(
        tags=[TAG],
        summary="Register a location",
        request=LocationWriteSerializer,
        responses={
            201: LinkedResponse(
                LocationSerializer,
                "The location, as registered.",
                links=_location_links("$response.body#/id"),
            ),
            **problems(*WITH_BODY, *AUTHENTICATED, 409),
        },
        examples=[_WRITE_EXAMPLE, _LOCATION_EXAMPLE],
    )
    @inject
    def post(
        self, request: Request, register: RegisterLocation = Provide["register_location"]
    ) -> Response:
        fields = parse_body(LocationWriteSerializer, request)
        location = register.execute(
            RegisterLocationCommand(**fields, created_by=account_of(request))
        )
        url = reverse("api:location-detail", kwargs={"location_id": location.id})
        return Response(
            LocationSerializer(location).data,
            status=201,
            headers={"Location": request.build_absolute_uri(url)},
        )


class LocationController(APIView):
    @extend_schema(
        tags=[TAG],
        summary="Read a location",
        responses={200: LocationSerializer, **problems(404)},
        examples=[_LOCATION_EXAMPLE],
    )
    @inject
    def get(
        self,
        request: Request,
        location_id: uuid.UUID,
        get_location: Callable[[], GetLocation] = Provider["get_location"],
        representations: Representations = Provide["representations"],
    ) -> HttpResponse:
        def render() -> Rendering:
            location = get_location().execute(GetLocationQuery(location_id))
            return Rendering(LocationSerializer(location).data, cache_control.LOCATION)

        return representations.answer(request, self, render)

    @extend_schema(
        tags=[TAG],
        summary="Replace every writable field of a location",
        request=LocationWriteSerializer,
        responses={
            200: LocationSerializer,
            **problems(*WITH_BODY, *AUTHENTICATED, 404, 409, descriptions=_CHANGE_FORBIDDEN),
        },
        examples=[_WRITE_EXAMPLE, _LOCATION_EXAMPLE],
    )
    @inject
    def put(
        self,
        request: Request,
        location_id: uuid.UUID,
        update: UpdateLocation = Provide["update_location"],
    ) -> Response:
        fields = {**LOCATION_OPTIONAL_DEFAULTS, **parse_body(LocationWriteSerializer, request)}
        location = update.execute(
            UpdateLocationCommand(
                location_id=location_id, requester=requester_of(request), **fields
            )
        )
        return Response(LocationSerializer(location).data)

    @extend_schema(
        tags=[TAG],
        summary="Change some fields of a location",
        request=LocationWriteSerializer(partial=True),
        responses={
            200: LocationSerializer,
            **problems(*WITH_BODY, *AUTHENTICATED, 404, 409, descriptions=_CHANGE_FORBIDDEN),
        },
    )
    @inject
    def patch(
        self,
        request: Request,
        location_id: uuid.UUID,
        update: UpdateLocation = Provide["update_location"],
    ) -> Response:
        fields = parse_body(LocationWriteSerializer, request, partial=True)
        location = update.execute(
            UpdateLocationCommand(
                location_id=location_id, requester=requester_of(request), **fields
            )
        )
        return Response(LocationSerializer(location).data)

    @extend_schema(
        tags=[TAG],
        summary="Delete a location with its observations, forecasts and alert rules",
        request=None,
        responses={204: None, **problems(*AUTHENTICATED, 404, descriptions=_CHANGE_FORBIDDEN)},
    )
    @inject
    def delete(
        self,
        request: Request,
        location_id: uuid.UUID,
        delete: DeleteLocation = Provide["delete_location"],
    ) -> Response:
        delete.execute(
            DeleteLocationCommand(location_id=location_id, requester=requester_of(request))
        )
        return Response(status=204)
