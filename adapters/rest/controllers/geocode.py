"""`/geocode/`: find places by name, to pick the location to register."""

from __future__ import annotations

from dependency_injector.wiring import Provide, inject
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from adapters.rest.openapi import problems
from adapters.rest.parsing import parse_query
from adapters.rest.serializers.locations import GeocodeQuerySerializer, GeocodeSerializer
from application.use_cases.geocode import Geocode, GeocodeQuery


class GeocodeController(APIView):
    @extend_schema(
        tags=["locations"],
        summary="Find places by name (best match first)",
        parameters=[GeocodeQuerySerializer],
        responses={200: GeocodeSerializer, **problems(400, 503)},
        examples=[
            OpenApiExample(
                "Paris",
                value={
                    "results": [
                        {
                            "name": "Paris",
                            "country_code": "FR",
                            "admin1": "Île-de-France",
                            "latitude": 48.8534,
                            "longitude": 2.3488,
                            "elevation": 42.0,
                            "timezone": "Europe/Paris",
                            "population": 2138551,
                        }
                    ]
                },
                response_only=True,
            )
        ],
    )
    @inject
    def get(self, request: Request, geocode: Geocode = Provide["geocode"]) -> Response:
        query = parse_query(GeocodeQuerySerializer, request)
        found = geocode.execute(GeocodeQuery(**query))
        return Response(GeocodeSerializer(found).data)
