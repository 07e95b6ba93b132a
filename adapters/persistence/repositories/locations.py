"""`DjangoLocationRepository`: the `LocationRepository` port over the ``weather_location`` table."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Collection, Mapping, Sequence

from django.db.models import QuerySet
from django.db.models.functions import Lower

from adapters.persistence import mappers, models
from adapters.persistence.repositories.paging import page_of
from adapters.persistence.session import Session
from application.pagination import Page, PageRequest
from domain.locations import Coordinates, Location


class DjangoLocationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    @functools.cached_property
    def _rows(self) -> QuerySet[models.Location]:
        return models.Location.objects.using(self._session.using)

    def add(self, location: Location) -> None:
        with self._session.access():
            self._rows.bulk_create([mappers.location_to_row(location)])

    def update(self, location: Location) -> None:
        row = mappers.location_to_row(location)
        # Not the creator: it is set once, at registration, and only the database clears it (when
        # the account goes), which a stale copy written back must not undo.
        fields = [
            f.attname
            for f in models.Location._meta.concrete_fields
            if not f.primary_key and f.name != "created_by"
        ]
        with self._session.access():
            self._rows.filter(pk=location.id).update(
                **{name: getattr(row, name) for name in fields}
            )

    def remove(self, location_id: uuid.UUID) -> None:
        # Observations, forecasts, rules and alerts go by ON DELETE CASCADE in Django's collector.
        with self._session.access():
            self._rows.filter(pk=location_id).delete()

    def get(self, location_id: uuid.UUID) -> Location | None:
        with self._session.access():
            row = self._rows.filter(pk=location_id).first()
        return None if row is None else mappers.location_from_row(row)

    def get_many(self, location_ids: Collection[uuid.UUID]) -> Mapping[uuid.UUID, Location]:
        if not location_ids:
            return {}
        with self._session.access():
            rows = list(self._rows.filter(pk__in=list(location_ids)))
        return {row.id: mappers.location_from_row(row) for row in rows}

    def get_by_coordinates(self, coordinates: Coordinates) -> Location | None:
        with self._session.access():
            row = self._rows.filter(
                latitude=mappers.degrees(coordinates.latitude),
                longitude=mappers.degrees(coordinates.longitude),
            ).first()
        return None if row is None else mappers.location_from_row(row)

    def search(
        self, *, text: str | None, country_code: str | None, page: PageRequest
    ) -> Page[Location]:
        queryset = self._rows.order_by(Lower("name"), "id")
        if text:
            queryset = queryset.filter(name__icontains=text)
        if country_code:
            queryset = queryset.filter(country_code=country_code)
        with self._session.access():
            return page_of(queryset, page, mappers.location_from_row)

    def all(self) -> Sequence[Location]:
        with self._session.access():
            rows = list(self._rows.order_by(Lower("name"), "id"))
        return [mappers.location_from_row(row) for row in rows]
