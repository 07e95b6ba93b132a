"""The peer: the location list and current weather as DRF's tutorial would write them, over the
same tables, for the benchmark only (never part of the product).

A `ModelViewSet` with `ModelSerializer`s and page-number pagination (50 a page, as ours), reading
the models directly: no use cases, no cache, no conditional requests. It is served by the same
server behind the same middleware, with the project's REST framework defaults (authentication,
throttles, renderers): what differs from ours is only how the view is written.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from adapters.persistence.models import Location, Observation


class LocationSerializer(serializers.ModelSerializer[Location]):
    class Meta:
        model = Location
        fields = [  # noqa: RUF012 - DRF's Meta, as the tutorial writes it
            "id",
            "name",
            "latitude",
            "longitude",
            "timezone",
            "country_code",
            "admin1",
            "elevation",
            "created_at",
            "updated_at",
        ]


class ObservationSerializer(serializers.ModelSerializer[Observation]):
    class Meta:
        model = Observation
        exclude = ["id", "location"]  # noqa: RUF012


class Pagination(PageNumberPagination):
    page_size = 50


class LocationViewSet(viewsets.ModelViewSet[Location]):
    queryset = Location.objects.order_by("name")
    serializer_class = LocationSerializer
    pagination_class = Pagination

    @action(detail=True, url_path="weather/current")
    def current(self, request: Request, pk: Any = None) -> Response:
        location = self.get_object()
        latest = location.observations.order_by("-observed_at").first()
        if latest is None:
            return Response(status=404)
        return Response(ObservationSerializer(latest).data)
