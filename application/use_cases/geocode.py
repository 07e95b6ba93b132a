"""Look up places by name, to help a user pick the location to register.

The geocoders are asked in their configured order (``WEATHER_GEOCODERS``), and the first that
answers wins. "No match" is an answer, not a failure: only a geocoder that raises
`ProviderUnavailable` hands the question to the next one, so a fallback never contradicts a
preferred geocoder that was reachable.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import attrs

from application.ports.providers import Geocoder
from application.results.locations import PlaceResult
from domain.errors import InvalidInput, ProviderUnavailable
from domain.locations import NAME_MAX_LENGTH, Place

logger = logging.getLogger(__name__)

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
    def __init__(self, geocoders: Sequence[Geocoder]) -> None:
        if not geocoders:
            raise ValueError("Geocode needs at least one geocoder.")
        self._geocoders = tuple(geocoders)

    def execute(self, query: GeocodeQuery) -> GeocodeResult:
        """Raises `ProviderUnavailable` when no geocoder can be reached (503, not "none")."""
        name = query.name.strip()
        if not 1 <= len(name) <= NAME_MAX_LENGTH:
            raise InvalidInput(
                "name", "must be 1 to {maximum} characters long.", maximum=NAME_MAX_LENGTH
            )
        if not 1 <= query.count <= MAX_RESULTS:
            raise InvalidInput("count", "must be between 1 and {maximum}.", maximum=MAX_RESULTS)
        places = self._search(name, query.count)
        return GeocodeResult(tuple(PlaceResult.from_domain(p) for p in places[: query.count]))

    def _search(self, name: str, count: int) -> Sequence[Place]:
        """The first answer, in order of preference; with fallbacks, each failure is logged."""
        failures: list[ProviderUnavailable] = []
        for position, geocoder in enumerate(self._geocoders, start=1):
            try:
                places = geocoder.search(name, count)
            except ProviderUnavailable as failure:
                failures.append(failure)
                if len(self._geocoders) > 1:  # a lone geocoder's failure is the error itself
                    more = "; asking the next one" if position < len(self._geocoders) else ""
                    logger.warning(
                        "Geocoder %s failed: %s%s", failure.provider, failure.reason, more
                    )
                continue
            if failures:
                logger.info(
                    "Geocoding %r answered by %s, fallback %d of %d, after %s failed",
                    name,
                    type(geocoder).__name__,
                    position,
                    len(self._geocoders),
                    ", ".join(failure.provider for failure in failures),
                )
            return places
        raise _every_one_failed(failures)


def _every_one_failed(failures: Sequence[ProviderUnavailable]) -> ProviderUnavailable:
    """A lone geocoder's own failure; with fallbacks, one naming every geocoder and reason."""
    if len(failures) == 1:
        return failures[0]
    names = ", ".join(failure.provider for failure in failures)
    reasons = "; ".join(str(failure) for failure in failures)
    return ProviderUnavailable(names, "every geocoder failed ({reasons})", reasons=reasons)
