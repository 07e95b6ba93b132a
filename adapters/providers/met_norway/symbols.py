"""MET Norway's weather symbols (`partlycloudy_day`) read as the domain's WMO codes and daylight.

A table and two lookups, apart from the client because the mapping is a judgement about
meteorology (which WMO code is nearest), reviewed on its own, while the client is about HTTP.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

logger = logging.getLogger(__name__)

# MET's symbol codes without their `_day` / `_night` / `_polartwilight` suffix, to the nearest WMO
# 4677 code of `domain.weather_codes`. Where WMO is finer (drizzle, rime fog) MET has no match;
# where MET is finer the nearest coarser code wins:
# - sleet (rain and snow together) has no code in the table: sleet → freezing rain (66/67),
#   sleet showers → snow showers (85/86);
# - every "...andthunder" → 95 (thunderstorm): MET does not say whether hail falls (96/99);
# - MET spells two codes "lightssleet..." and "lightssnow..."; both spellings are listed.
SYMBOL_TO_WMO: Final[Mapping[str, int]] = MappingProxyType(
    {
        "clearsky": 0,
        "fair": 1,
        "partlycloudy": 2,
        "cloudy": 3,
        "fog": 45,
        "lightrain": 61,
        "rain": 63,
        "heavyrain": 65,
        "lightsleet": 66,
        "sleet": 66,
        "heavysleet": 67,
        "lightsnow": 71,
        "snow": 73,
        "heavysnow": 75,
        "lightrainshowers": 80,
        "rainshowers": 81,
        "heavyrainshowers": 82,
        "lightsleetshowers": 85,
        "sleetshowers": 85,
        "heavysleetshowers": 86,
        "lightsnowshowers": 85,
        "snowshowers": 85,
        "heavysnowshowers": 86,
        "lightrainandthunder": 95,
        "rainandthunder": 95,
        "heavyrainandthunder": 95,
        "lightsleetandthunder": 95,
        "sleetandthunder": 95,
        "heavysleetandthunder": 95,
        "lightsnowandthunder": 95,
        "snowandthunder": 95,
        "heavysnowandthunder": 95,
        "lightrainshowersandthunder": 95,
        "rainshowersandthunder": 95,
        "heavyrainshowersandthunder": 95,
        "lightssleetshowersandthunder": 95,
        "lightsleetshowersandthunder": 95,
        "sleetshowersandthunder": 95,
        "heavysleetshowersandthunder": 95,
        "lightssnowshowersandthunder": 95,
        "lightsnowshowersandthunder": 95,
        "snowshowersandthunder": 95,
        "heavysnowshowersandthunder": 95,
    }
)
_DAY_SUFFIXES: Final = {"_day": True, "_night": False, "_polartwilight": False}


def weather_code_for(symbol_code: str) -> int | None:
    """The WMO code nearest to a MET symbol (`partlycloudy_day` → 2); `None` if unknown."""
    base = symbol_code
    for suffix in _DAY_SUFFIXES:
        base = base.removesuffix(suffix)
    code = SYMBOL_TO_WMO.get(base)
    if code is None:
        logger.warning("Unknown MET Norway symbol code %r", symbol_code)
    return code


def is_day_for(symbol_code: str) -> bool | None:
    """`_day` → True; `_night` and `_polartwilight` (sun below the horizon) → False."""
    for suffix, daylight in _DAY_SUFFIXES.items():
        if symbol_code.endswith(suffix):
            return daylight
    return None
