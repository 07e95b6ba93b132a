"""Migrate the benchmark database and store 50 locations, each with current weather."""

from __future__ import annotations

import os
from datetime import UTC, datetime


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.api.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from adapters.persistence.unit_of_work import DjangoUnitOfWork
    from domain.locations import Coordinates, Location
    from tests.support.fakes.clock import FakeClock
    from tests.support.fakes.providers import FakeWeatherProvider

    call_command("migrate", verbosity=0, interactive=False)
    clock = FakeClock(datetime.now(UTC))
    locations = [
        Location.register(
            name=f"Place {index:02}",
            coordinates=Coordinates(10 + index / 10, 20),
            timezone="Europe/Paris",
            now=clock.now(),
        )
        for index in range(50)
    ]
    reports = FakeWeatherProvider(clock).fetch(locations)
    with DjangoUnitOfWork() as uow:
        for location in locations:
            uow.locations.add(location)
        uow.observations.add_many(report.current for report in reports if report.current)
        uow.commit()
    print(locations[0].id)


if __name__ == "__main__":
    main()
