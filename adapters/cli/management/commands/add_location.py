"""``add_location "<name>" [--country CC] [--pick N | --list]``: geocode a place name and track
the best match, or the one the user picks.

Thin over two use cases (`Geocode`, then `RegisterLocation` with the place's coordinates, time
zone, country and region), so the command line adds a location exactly as the API does. Choosing
among the matches is the command line's own business (the API's client shows a list instead):
`--country` keeps the matches in one country, `--pick N` takes the N-th of the list the command
prints, `--list` only prints it. When several places match and nothing chose among them, the best
match is stored and the others are listed, numbered for `--pick`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dependency_injector.wiring import Provide, inject
from django.core.management.base import CommandError, CommandParser

from adapters.cli.arguments import country_code, positive_number
from adapters.cli.base_command import USER_ERROR, CliCommand
from application.results.locations import LocationResult, PlaceResult
from application.use_cases.geocode import Geocode, GeocodeQuery
from application.use_cases.register_location import RegisterLocation, RegisterLocationCommand

MATCHES = 10
"""How many places to ask the geocoder for: enough for the Parises that matter."""


class Command(CliCommand):
    help = (
        "Geocode a place name and store the best match as a tracked location; when several "
        "places match, the others are listed for --pick."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help='the place to look up, e.g. "Paris"')
        parser.add_argument(
            "--country",
            type=country_code,
            metavar="CC",
            help="keep only matches in this country (ISO 3166-1 alpha-2, e.g. FR or us)",
        )
        choice = parser.add_mutually_exclusive_group()
        choice.add_argument(
            "--pick",
            type=positive_number,
            metavar="N",
            help="store the N-th match of the list (1 is the best match)",
        )
        choice.add_argument(
            "--list", action="store_true", help="print the matches and store nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["name"].strip()
        country: str | None = options["country"]
        found = find_places(name)
        places = [place for place in found if country in (None, place.country_code)]
        if not places:
            raise CommandError(_no_match(name, country, found), returncode=USER_ERROR)

        if options["list"]:
            self.stdout.write(f"{_count(places)} {name!r}{_in(country)}:")
            self._write_lines(_numbered(places, first=1))
            return

        pick: int | None = options["pick"]
        if pick is not None and pick > len(places):
            raise CommandError(
                f"argument --pick: {pick} is out of range: {_count(places)} {name!r}"
                f"{_in(country)} (1 to {len(places)}; --list shows them).",
                returncode=USER_ERROR,
            )
        chosen = places[(pick or 1) - 1]
        location = register(chosen)
        self.stdout.write(
            f"Added {location.name}{_where(location.admin1, location.country_code)} at "
            f"{location.latitude:.4f}, {location.longitude:.4f} [{location.timezone}]: "
            f"{location.id}"
        )
        if pick is None and len(places) > 1:
            self.stdout.write(f"Other matches of {name!r}{_in(country)}:")
            self._write_lines(_numbered(places[1:], first=2))
            self.stdout.write(
                "To add one of the others too, run the same command with --pick N (its number "
                "above), or narrow the matches with --country CC."
            )

    def _write_lines(self, lines: Sequence[str]) -> None:
        for line in lines:
            self.stdout.write(line)


@inject
def find_places(name: str, geocode: Geocode = Provide["geocode"]) -> list[PlaceResult]:
    """Best match first; empty when nothing matches."""
    return list(geocode.execute(GeocodeQuery(name=name, count=MATCHES)).results)


@inject
def register(
    place: PlaceResult, use_case: RegisterLocation = Provide["register_location"]
) -> LocationResult:
    return use_case.execute(
        RegisterLocationCommand(
            name=place.name,
            latitude=place.latitude,
            longitude=place.longitude,
            timezone=place.timezone,
            country_code=place.country_code,
            admin1=place.admin1,
            elevation=place.elevation,
        )
    )


def _numbered(places: Sequence[PlaceResult], *, first: int) -> list[str]:
    width = len(str(first + len(places) - 1))
    return [
        f"  {number:>{width}}. {_describe(place)}"
        for number, place in enumerate(places, start=first)
    ]


def _describe(place: PlaceResult) -> str:
    population = f", population {place.population:,}" if place.population else ""
    return (
        f"{place.name}{_where(place.admin1, place.country_code)} at "
        f"{place.latitude:.4f}, {place.longitude:.4f}{population}"
    )


def _where(admin1: str | None, country: str | None) -> str:
    parts = [part for part in (admin1, country) if part]
    return f" ({', '.join(parts)})" if parts else ""


def _count(places: Sequence[PlaceResult]) -> str:
    return "1 place matches" if len(places) == 1 else f"{len(places)} places match"


def _in(country: str | None) -> str:
    return f" in {country}" if country else ""


def _no_match(name: str, country: str | None, found: Sequence[PlaceResult]) -> str:
    """Says so when --country filtered every match out, and where the matches were."""
    if country is None or not found:
        return f"No place matches {name!r}{_in(country)}."
    elsewhere = ", ".join(dict.fromkeys(place.country_code or "?" for place in found))
    return f"No place matches {name!r} in {country} ({_count(found)} elsewhere: {elsewhere})."
