"""`/`: the dashboard page (CONTRACT.md §5), rendered by the server from one use case."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from dependency_injector import providers
from django.contrib.staticfiles import finders
from django.db import connections
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from domain.errors import StorageUnavailable
from domain.locations import Coordinates
from server_config.container import container
from tests.api.conftest import DATABASES, Stored, random_id
from tests.support.builders import NOW

pytestmark = pytest.mark.django_db(databases=DATABASES)

HTML = "text/html; charset=utf-8"


@pytest.fixture
def browser() -> Client:
    return Client()


def page_of(browser: Client, query: str = "") -> str:
    response = browser.get(f"/{query}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == HTML
    return response.content.decode()


def rows_of(html: str) -> list[str]:
    """The location rows of the table, each as its text without tags or extra spaces."""
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>")[-1], re.S)
    ]


def test_with_no_locations_the_page_says_so_and_links_the_operations(
    stored: Stored, browser: Client
) -> None:
    html = page_of(browser)

    assert "No locations are tracked yet" in html
    for link in ('href="/api/v1/docs/"', 'href="/admin/"', 'href="/health/ready"'):
        assert link in html
    assert re.search(r'<link rel="stylesheet" href="/static/dashboard/dashboard\.css"', html)


def test_the_stylesheet_ships_with_the_app_for_collectstatic() -> None:
    found = finders.find("dashboard/dashboard.css")

    assert isinstance(found, str)
    assert "--accent" in Path(found).read_text(encoding="utf-8")


def test_locations_are_listed_by_name_with_their_latest_reading_or_no_data_yet(
    stored: Stored, browser: Client
) -> None:
    samara = stored.location("Samara")
    stored.location("Oslo", coordinates=Coordinates(59.91, 10.75), country_code="NO", admin1=None)
    stored.observations(
        samara,
        NOW - timedelta(hours=1),
        2,
        timedelta(hours=1),
        temperature=-3.54,
        weather_code=3,
        wind_speed=12.0,
        wind_direction=270.0,
        relative_humidity=81.0,
    )

    html = page_of(browser)

    assert rows_of(html) == [
        "Oslo NO no data yet current weather",
        "Samara Samara Oblast, RU -3.5 °C Overcast 12.0 km/h from 270° 81 %"
        " 2026-11-24 14:00 open-meteo current weather",
    ]
    assert '<time datetime="2026-11-24T14:00:00Z">' in html
    assert f'href="/api/v1/locations/{samara.id}/weather/current/"' in html
    assert "(2)" in html


def test_imperial_units_convert_the_readings_and_carry_into_the_json_links(
    stored: Stored, browser: Client
) -> None:
    location = stored.location()
    stored.observations(location, NOW, 1, timedelta(hours=1), temperature=20.0, wind_speed=16.09)

    html = page_of(browser, "?units=imperial")

    (row,) = rows_of(html)
    assert "68.0 °F" in row
    assert "10.0 mph" in row
    assert f'href="/api/v1/locations/{location.id}/weather/current/?units=imperial"' in html
    assert 'href="?units=metric"' in html


def test_search_keeps_matching_names_and_says_when_none_match(
    stored: Stored, browser: Client
) -> None:
    stored.location("Paris", coordinates=Coordinates(48.85, 2.35))
    stored.location("Parma", coordinates=Coordinates(44.8, 10.33))
    stored.location("Samara")

    found = page_of(browser, "?search=par")
    nothing = page_of(browser, "?search=%3Cscript%3Ezzz")

    assert [row.split()[0] for row in rows_of(found)] == ["Paris", "Parma"]
    assert "No location name contains “&lt;script&gt;zzz”" in nothing
    assert "<script>" not in nothing


def test_pages_hold_at_most_the_page_size_cap_and_link_to_their_neighbours(
    stored: Stored, browser: Client
) -> None:
    stored.locations(101)

    first = page_of(browser, "?units=imperial")
    second = page_of(browser, "?units=imperial&page=2")
    beyond = page_of(browser, "?page=3")

    assert len(rows_of(first)) == 100
    assert 'rel="next" href="?units=imperial&amp;page=2"' in first
    assert 'rel="prev"' not in first
    assert [row.split()[:2] for row in rows_of(second)] == [["Place", "100"]]
    assert 'rel="prev" href="?units=imperial&amp;page=1"' in second
    assert 'rel="next"' not in second
    assert "Page 3 is past the end" in beyond


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("?page=abc", "page"),
        ("?page=0", "page"),
        ("?page=-1", "page"),
        ("?page=1.5", "page"),
        ("?page=", "page"),
        ("?page=99999999999999999999", "page"),
        ("?units=kelvin", "units"),
        ("?units=", "units"),
        ("?search=a%00b", "search"),
    ],
)
def test_a_bad_parameter_is_a_plain_400_page_naming_it(
    stored: Stored, browser: Client, query: str, parameter: str
) -> None:
    response = browser.get(f"/{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == HTML
    html = response.content.decode()
    assert f"The <code>{parameter}</code> parameter" in html
    assert "Traceback" not in html


def test_only_get_is_allowed(stored: Stored, browser: Client) -> None:
    assert browser.post("/").status_code == 405
    assert browser.delete("/").status_code == 405


def test_the_page_costs_the_same_queries_for_one_location_or_thirty(
    stored: Stored, browser: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    def queries_with(count: int) -> int:
        for location in stored.locations(count):
            stored.observations(location, NOW, 2, timedelta(hours=1))
        # At most four reads (locations, their count, newest reading ids, the readings), plus
        # the unit of work's savepoint, rollback and release inside the test's transaction.
        with django_assert_max_num_queries(7, connection=connections[stored.alias]):
            cost = stored.count_queries(lambda: page_of(browser))
        with stored.uow() as uow:
            for location in uow.locations.all():
                uow.locations.remove(location.id)
            uow.commit()
        return cost

    one = queries_with(1)
    thirty = queries_with(30)

    assert one == thirty <= 4


def test_the_page_refers_to_no_other_host(stored: Stored, browser: Client) -> None:
    location = stored.location("<b>Bold</b> & Co")
    stored.observations(location, NOW, 1, timedelta(hours=1), weather_code=61)

    html = page_of(browser)

    assert re.findall(r'(?:src|href)="(?:https?:)?//', html) == []
    assert "<b>Bold</b>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in html


def test_an_unknown_path_under_the_root_is_still_a_404(stored: Stored, browser: Client) -> None:
    assert browser.get(f"/{random_id()}").status_code == 404


def test_an_unreachable_database_is_a_plain_503_page(stored: Stored, browser: Client) -> None:
    class Unavailable:
        def execute(self, query: object) -> None:
            raise StorageUnavailable("the database is down")

    with container.get_weather_overview.override(providers.Object(Unavailable())):
        response = browser.get("/")

    assert response.status_code == 503
    assert response["Content-Type"] == HTML
    assert int(response["Retry-After"]) > 0
    assert "The database cannot be reached." in response.content.decode()
