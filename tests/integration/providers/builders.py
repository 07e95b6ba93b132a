"""Locations to ask the providers about, east and west of Greenwich."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.locations import Coordinates, Location

REGISTERED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def a_location(
    name: str = "Samara",
    latitude: float = 53.2,
    longitude: float = 50.15,
    timezone: str = "Europe/Samara",
    elevation: float | None = 117.0,
) -> Location:
    return Location.register(
        name=name,
        coordinates=Coordinates(latitude, longitude),
        timezone=timezone,
        elevation=elevation,
        now=REGISTERED_AT,
    )


def new_york() -> Location:
    return a_location("New York", 40.7143, -74.006, "America/New_York", 10.0)


def berlin() -> Location:
    return a_location("Berlin", 52.5244, 13.4105, "Europe/Berlin", 43.0)


def oslo() -> Location:
    """At the MET fixture's point (60.1 N, 10 E, 267 m)."""
    return a_location("Oslo", 60.1, 10.0, "Europe/Oslo", 267.0)


def locations_along_the_equator(count: int) -> list[Location]:
    """`count` distinct locations (distinct rounded coordinates), in order."""
    return [
        a_location(f"Point {index}", 0.0, round(-179.0 + index * 0.01, 4), "UTC", None)
        for index in range(count)
    ]
