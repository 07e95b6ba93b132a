"""`OpenMeteoGeocoder`, the `Geocoder`: Open-Meteo's place search over GeoNames.

A search is about no tracked location and stamps nothing, so it needs neither the series reading
nor a clock; it shares only the HTTP call and the API key with the other Open-Meteo clients.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Final

import requests

from adapters.providers.http import HttpAnswer, ProviderHttpClient, ResiliencePolicy
from adapters.providers.open_meteo.variables import with_key
from adapters.providers.payloads import (
    as_list,
    as_object,
    member,
    number,
    optional_integer,
    optional_number,
    optional_text,
    text,
)
from domain.errors import InvalidInput
from domain.locations import Coordinates, Place

logger = logging.getLogger(__name__)

DEFAULT_GEOCODING_URL: Final = "https://geocoding-api.open-meteo.com/v1/search"
GEOCODING_MAX_COUNT: Final = 100


class OpenMeteoGeocoder:
    """The `Geocoder`: Open-Meteo's place search (GeoNames), best match first."""

    def __init__(
        self,
        *,
        timeout_seconds: float,
        base_url: str = DEFAULT_GEOCODING_URL,
        api_key: str = "",
        language: str = "en",
        policy: ResiliencePolicy | None = None,
        session: requests.Session | None = None,
        name: str = "open-meteo-geocoding",
    ) -> None:
        self._url = base_url
        self._api_key = api_key
        self._language = language
        self._client = ProviderHttpClient(
            name, timeout_seconds=timeout_seconds, policy=policy, session=session
        )

    @property
    def client(self) -> ProviderHttpClient:
        return self._client

    def search(self, name: str, count: int) -> Sequence[Place]:
        count = max(1, min(count, GEOCODING_MAX_COUNT))
        params = {"name": name, "count": str(count), "language": self._language, "format": "json"}
        places = self._client.call(
            self._url, params=with_key(params, self._api_key), parse=_places, locations=0
        )[:count]
        logger.info(
            "Geocoding %r found %s",
            name,
            _found(places),
            extra={"query": name, "places": len(places)},
        )
        return places


def _found(places: Sequence[Place]) -> str:
    """What a search found, for the log: ``3 places, best Paris (Île-de-France, FR)``."""
    if not places:
        return "no place"
    best = places[0]
    where = ", ".join(part for part in (best.admin1, best.country_code) if part)
    count = "1 place" if len(places) == 1 else f"{len(places)} places"
    return f"{count}, best {best.name}" + (f" ({where})" if where else "")


def _places(answer: HttpAnswer) -> list[Place]:
    """Nothing matched: the API leaves `results` out entirely (not an empty array)."""
    body = as_object(answer.body, "answer")
    if "results" not in body:
        return []
    places = []
    for index, entry in enumerate(as_list(body["results"], "results")):
        path = f"results[{index}]"
        result = as_object(entry, path)
        try:
            place = Place(
                name=text(member(result, "name", path), f"{path}.name"),
                coordinates=Coordinates(
                    number(member(result, "latitude", path), f"{path}.latitude"),
                    number(member(result, "longitude", path), f"{path}.longitude"),
                ),
                country_code=optional_text(result.get("country_code"), f"{path}.country_code"),
                admin1=optional_text(result.get("admin1"), f"{path}.admin1"),
                elevation=optional_number(result.get("elevation"), f"{path}.elevation"),
                timezone=optional_text(result.get("timezone"), f"{path}.timezone"),
                population=optional_integer(result.get("population"), f"{path}.population"),
            )
        except InvalidInput as error:
            # One odd entry (say, a country code that is not ISO) must not spoil the search.
            logger.warning("Skipped geocoding result %s: %s", path, error)
            continue
        places.append(place)
    return places
