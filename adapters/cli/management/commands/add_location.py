"""``add_location "<name>"``: geocode a place name and track the best match.

Thin over two use cases (`Geocode`, then `RegisterLocation` with the place's coordinates, time
zone, country and region), so the command line adds a location exactly as the API does.
"""

from __future__ import annotations

from typing import Any

from dependency_injector.wiring import Provide, inject
from django.core.management.base import BaseCommand, CommandError, CommandParser

from application.results.locations import LocationResult
from application.use_cases.geocode import Geocode, GeocodeQuery
from application.use_cases.register_location import RegisterLocation, RegisterLocationCommand
from domain.errors import Conflict, InvalidInput, ProviderUnavailable


class Command(BaseCommand):
    help = "Geocode a place name and store the best match as a tracked location."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help='the place to look up, e.g. "Samara"')

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            location = add_location(options["name"])
        except InvalidInput as error:
            raise CommandError(error.message, returncode=2) from None
        except (Conflict, ProviderUnavailable, LookupError) as error:
            raise CommandError(str(error), returncode=1) from None
        where = ", ".join(part for part in (location.admin1, location.country_code) if part)
        self.stdout.write(
            f"Added {location.name}"
            + (f" ({where})" if where else "")
            + f" at {location.latitude}, {location.longitude} [{location.timezone}]: {location.id}"
        )


@inject
def add_location(
    name: str,
    geocode: Geocode = Provide["geocode"],
    register: RegisterLocation = Provide["register_location"],
) -> LocationResult:
    places = geocode.execute(GeocodeQuery(name=name, count=1)).results
    if not places:
        raise LookupError(f"No place matches {name.strip()!r}.")
    best = places[0]
    return register.execute(
        RegisterLocationCommand(
            name=best.name,
            latitude=best.latitude,
            longitude=best.longitude,
            timezone=best.timezone,
            country_code=best.country_code,
            admin1=best.admin1,
            elevation=best.elevation,
        )
    )
