"""Look up places by name, to help a user pick the location to register."""

from __future__ import annotations

import attrs

from application.ports.providers import Geocoder
from application.results.locations import PlaceResult
from domain.errors import InvalidInput
from domain.locations import NAME_MAX_LENGTH

MAX_RESULTS = 100


@attrs.frozen(kw_only=True)
class GeocodeQuery:
    name: str
    count: int = 5


@attrs.frozen
class GeocodeResult:
    """Best match first; empty when nothing matches."""

    results: tuple[PlaceResult, ...]


class Geocode:
    def __init__(self, geocoder: Geocoder) -> None:
        self._geocoder = geocoder

    def execute(self, query: GeocodeQuery) -> GeocodeResult:
        """Raises `ProviderUnavailable` when the geocoder cannot be reached (503, not "none")."""
        name = query.name.strip()
        if not 1 <= len(name) <= NAME_MAX_LENGTH:
            raise InvalidInput("name", f"must be 1 to {NAME_MAX_LENGTH} characters long.")
        if not 1 <= query.count <= MAX_RESULTS:
            raise InvalidInput("count", f"must be between 1 and {MAX_RESULTS}.")
        places = self._geocoder.search(name, query.count)
        return GeocodeResult(tuple(PlaceResult.from_domain(p) for p in places[: query.count]))
