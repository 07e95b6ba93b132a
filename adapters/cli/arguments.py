"""Argument types shared by the commands: a bad value is an argparse error (one line, exit 2).

Each one raises `argparse.ArgumentTypeError` with a message that names the value and says what was
expected; argparse prefixes it with the option (``argument --start: '2026-13-01' is not a date``).
"""

from __future__ import annotations

import argparse
import uuid
from datetime import date
from functools import cache
from importlib import resources

# Not assigned by ISO, but GeoNames (hence Open-Meteo's geocoder) gives Kosovo this code.
_GEONAMES_EXTRA_CODES = frozenset({"XK"})


def location_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a location id (a UUID)") from None


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def positive_number(value: str) -> int:
    """A 1-based position in a list the command printed (``--pick 2``)."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number from 1 up")
    return number


def country_code(value: str) -> str:
    """An ISO 3166-1 alpha-2 code in any case (``fr``, ``FR``), returned upper case."""
    code = value.strip().upper()
    if code not in _country_codes():
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. FR, US, GB)"
        )
    return code


@cache
def _country_codes() -> frozenset[str]:
    """The assigned codes, from the IANA time zone database's ``iso3166.tab`` (the ``tzdata``
    package is a main dependency), so the list is maintained upstream rather than copied here.
    Read only when ``--country`` is given: start-up of the other commands does not pay for it."""
    table = resources.files("tzdata").joinpath("zoneinfo", "iso3166.tab").read_text("utf-8")
    codes = {
        line.split("\t", 1)[0] for line in table.splitlines() if line and not line.startswith("#")
    }
    return frozenset(codes) | _GEONAMES_EXTRA_CODES
