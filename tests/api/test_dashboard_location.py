"""`/locations/<id>/`: a location's page for a person (CONTRACT.md §5), through Django's client.

What the server renders is checked here: the DOM the browser tests and the page's script rely on
(the `data-testid`s of the contract between the page and its browser tests), the numbers in the
chosen units and language, the states without data, the error pages, and what only a signed-in
user sees. The script's drawing and live updates are the browser tests' to check.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from dependency_injector import providers
from django.test import Client
from rest_framework.test import APIClient

from adapters.dashboard.templatetags.weather_icons import icon_name
from domain.errors import StorageUnavailable
from domain.locations import Coordinates, Location
from server_config.container import container
from tests.api.conftest import DATABASES, Stored, random_id
from tests.support.builders import NOW

pytestmark = pytest.mark.django_db(databases=DATABASES)

HTML = "text/html; charset=utf-8"


@pytest.fixture
def browser() -> Client:
    return Client()


def page_of(browser: Client, location: Location, query: str = "", language: str = "en") -> str:
    response = browser.get(
        f"/locations/{location.id}/{query}", headers={"Accept-Language": language}
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == HTML
    return response.content.decode()


def by_testid(html: str, testid: str) -> str:
    """The opening tag of the element with `data-testid="<testid>"` and what follows it."""
    match = re.search(rf'<[^>]*data-testid="{re.escape(testid)}"[^>]*>', html)
    assert match is not None, f"no element with data-testid={testid!r}"
    return html[match.start() :]


def opening_tag(html: str, testid: str) -> str:
    match = re.search(rf'<[^>]*data-testid="{re.escape(testid)}"[^>]*>', html)
    assert match is not None, f"no element with data-testid={testid!r}"
    return match.group(0)


def text_of(html: str, testid: str) -> str:
    """The text inside the element (its first closing tag ends it: leaf elements only)."""
    rest = by_testid(html, testid)
    inner = re.match(r"<[^>]*>(.*?)</", rest, re.S)
    assert inner is not None
    return " ".join(inner.group(1).split())


def json_block(html: str, element_id: str) -> Any:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert match is not None, f"no JSON block {element_id!r}"
    return json.loads(match.group(1))


def with_history(stored: Stored, location: Location, **metrics: Any) -> None:
    """Readings every 6 hours over the last 7 local days, then a refresh's current and forecasts."""
    stored.observations(location, NOW - timedelta(days=6, hours=12), 26, timedelta(hours=6))
    stored.weather(location, **metrics)


def test_a_location_with_data_shows_current_conditions_both_charts_and_seven_days(
    stored: Stored, browser: Client
) -> None:
    location = stored.location("Samara")
    with_history(stored, location, temperature=12.34, weather_code=3)

    html = page_of(browser, location)

    assert opening_tag(html, "current").count('data-observed-at="2026-11-24T14:00:00Z"') == 1
    assert text_of(html, "condition") == "Overcast"
    icon = opening_tag(html, "condition-icon")
    assert 'src="/static/dashboard/icons/cloudy.svg"' in icon
    assert 'alt="Overcast"' in icon
    assert text_of(html, "current-temperature") == "12.3 °C"
    assert 'data-units="°C"' in opening_tag(html, "chart-hourly")
    assert 'data-units="°C"' in opening_tag(html, "chart-history")
    days = re.findall(r'<tr data-date="(\d{4}-\d{2}-\d{2})">', by_testid(html, "daily-forecast"))
    assert days == [f"2026-11-{day}" for day in range(24, 31)]
    charts = json_block(html, "chart-data")
    assert len(charts["hourly"]) == 48
    assert charts["hourly"][0] == {
        "time": "2026-11-24T14:00:00Z",
        "temperature": 12.3,
        "precipitation": None,
    }
    assert [day["date"] for day in charts["history"]] == [f"2026-11-{day}" for day in range(18, 25)]
    assert charts["units"]["temperature"] == "°C"


def test_the_charts_carry_exactly_what_the_api_gives_for_the_same_place(
    stored: Stored, browser: Client
) -> None:
    location = stored.location("Samara")
    with_history(stored, location)
    api = APIClient()
    base = f"/api/v1/locations/{location.id}/weather"

    charts = json_block(page_of(browser, location), "chart-data")
    hourly = api.get(f"{base}/forecast/?hours=48").json()["hourly"]
    summaries = api.get(f"{base}/daily/").json()["results"]
    daily = api.get(f"{base}/forecast/daily/?days=7").json()["daily"]

    assert [point["time"] for point in charts["hourly"]] == [point["time"] for point in hourly]
    assert [point["temperature"] for point in charts["hourly"]] == [
        None if point["temperature"] is None else round(point["temperature"], 1) for point in hourly
    ]
    assert [(d["date"], d["min"], d["max"]) for d in charts["history"]] == [
        (s["date"], round(s["temperature_min"], 1), round(s["temperature_max"], 1))
        for s in summaries
    ]
    table = by_testid(page_of(browser, location), "daily-forecast")
    assert re.findall(r'data-date="([^"]+)"', table) == [day["date"] for day in daily]


def test_imperial_units_change_the_numbers_and_every_unit_label(
    stored: Stored, browser: Client
) -> None:
    location = stored.location()
    with_history(stored, location, temperature=20.0)

    html = page_of(browser, location, "?units=imperial")

    assert text_of(html, "current-temperature") == "68.0 °F"
    assert 'data-units="°F"' in opening_tag(html, "chart-hourly")
    assert 'data-units="°F"' in opening_tag(html, "chart-history")
    charts = json_block(html, "chart-data")
    assert charts["units"] == {
        "temperature": "°F",
        "wind_speed": "mph",
        "precipitation": "inch",
        "pressure": "inHg",
    }
    assert charts["hourly"][0]["temperature"] == 68.0
    assert "°C" not in by_testid(html, "daily-forecast").split("</table>")[0]
    assert 'href="?units=metric"' in opening_tag(html, "units-metric")
    assert 'aria-current="page"' in opening_tag(html, "units-imperial")
    assert 'aria-current="page"' not in opening_tag(html, "units-metric")


def test_the_page_is_in_french_for_a_french_browser_numbers_included(
    stored: Stored, browser: Client
) -> None:
    location = stored.location()
    with_history(stored, location, temperature=12.34, weather_code=3)

    html = page_of(browser, location, language="fr")

    assert '<html lang="fr">' in html
    assert text_of(html, "condition") == "Couvert"
    assert text_of(html, "current-temperature") == "12,3 °C"
    assert 'data-value="12.34"' in opening_tag(html, "current-temperature")
    assert "Prochains 7 jours" in html
    assert json_block(html, "page-texts")["success"] == "Actualisé."
    assert "mardi 24 novembre" in by_testid(html, "daily-forecast")


def test_the_language_switch_posts_to_set_language_and_the_choice_sticks(
    stored: Stored, browser: Client
) -> None:
    location = stored.location()
    path = f"/locations/{location.id}/"
    form = opening_tag(page_of(browser, location), "language-switch")
    assert 'action="/i18n/setlang/"' in form
    assert 'method="post"' in form

    switched = browser.post("/i18n/setlang/", {"language": "fr", "next": path})

    assert switched.status_code == 302
    assert switched["Location"] == path
    assert '<html lang="fr">' in page_of(browser, location)


def test_without_any_reading_the_page_says_so_and_draws_empty_charts(
    stored: Stored, browser: Client
) -> None:
    location = stored.location()

    html = page_of(browser, location)

    assert "No reading yet" in by_testid(html, "no-reading").split("</section>")[0]
    assert 'data-testid="current"' not in html
    assert 'data-testid="no-forecast"' in html
    assert 'data-testid="daily-forecast"' not in html
    charts = json_block(html, "chart-data")
    assert charts["hourly"] == []
    assert charts["history"] == []
    assert 'data-testid="chart-hourly"' in html


def test_a_reading_hours_old_warns_that_the_providers_may_be_down(
    stored: Stored, browser: Client
) -> None:
    location = stored.location()
    stored.observations(location, NOW - timedelta(hours=5), 1, timedelta(hours=1))
    fresh = stored.location("Oslo", coordinates=Coordinates(59.91, 10.75))
    stored.observations(fresh, NOW - timedelta(minutes=15), 1, timedelta(hours=1))

    assert 'data-testid="stale-reading"' in page_of(browser, location)
    assert 'data-testid="stale-reading"' not in page_of(browser, fresh)


def test_an_unknown_location_is_a_404_page_in_the_dashboards_style(
    stored: Stored, browser: Client
) -> None:
    response = browser.get(f"/locations/{random_id()}/")

    assert response.status_code == 404
    assert response["Content-Type"] == HTML
    html = response.content.decode()
    assert "Location not found" in html
    assert "/static/dashboard/dashboard.css" in html
    assert 'data-testid="language-switch"' in html
    assert browser.get("/locations/not-a-uuid/").status_code == 404


def test_an_unreachable_database_is_a_503_page_with_retry_after(
    stored: Stored, browser: Client
) -> None:
    class Unavailable:
        def execute(self, query: object) -> None:
            raise StorageUnavailable("the database is down")

    with container.get_location_page.override(providers.Object(Unavailable())):
        response = browser.get(f"/locations/{random_id()}/")

    assert response.status_code == 503
    assert response["Content-Type"] == HTML
    assert int(response["Retry-After"]) > 0
    assert "The database cannot be reached." in response.content.decode()


@pytest.mark.parametrize("query", ["?units=kelvin", "?units="])
def test_bad_units_are_a_400_page_naming_the_parameter(
    stored: Stored, browser: Client, query: str
) -> None:
    response = browser.get(f"/locations/{stored.location().id}/{query}")

    assert response.status_code == 400
    assert "The <code>units</code> parameter" in response.content.decode()


def test_anonymous_visitors_get_no_refresh_button_and_no_alert_rules(
    stored: Stored, browser: Client, alice: Any
) -> None:
    location = stored.location()
    stored.rule(alice, location)

    html = page_of(browser, location)

    assert 'data-testid="refresh-now"' not in html
    assert 'data-testid="refresh-status"' not in html
    assert 'data-testid="alert-rules"' not in html
    assert "Sign in" in html


def test_a_signed_in_user_gets_refresh_now_and_only_their_rules_for_this_place(
    stored: Stored, browser: Client, alice: Any, bob: Any
) -> None:
    location = stored.location()
    elsewhere = stored.location("Oslo", coordinates=Coordinates(59.91, 10.75))
    mine = stored.rule(alice, location, threshold=30.0)
    not_here = stored.rule(alice, elsewhere)
    not_mine = stored.rule(bob, location)
    browser.force_login(alice)

    html = page_of(browser, location)
    imperial = page_of(browser, location, "?units=imperial")

    assert opening_tag(html, "refresh-now").startswith("<button")
    assert 'data-testid="refresh-status"' in html
    assert 'data-csrf-token="' in html
    rules = by_testid(html, "alert-rules").split("</section>")[0]
    assert f'data-rule-id="{mine.id}"' in rules
    assert f'data-rule-id="{not_here.id}"' not in rules
    assert f'data-rule-id="{not_mine.id}"' not in rules
    assert "30 °C" in rules
    assert "86 °F" in by_testid(imperial, "alert-rules").split("</section>")[0]
    assert "Signed in as alice" in html


def test_the_page_opens_the_event_stream_of_this_location_and_loads_only_local_files(
    stored: Stored, browser: Client
) -> None:
    location = stored.location("<b>Bold</b> & Co")
    with_history(stored, location)

    html = page_of(browser, location)

    assert f'data-events-url="/api/v1/events/?location={location.id}"' in html
    assert re.findall(r'(?:src|href|action)="(?:https?:)?//', html) == []
    scripts = re.findall(r"<script([^>]*)>", html)
    assert [attributes for attributes in scripts if "src=" not in attributes] == [
        ' id="chart-data" type="application/json"',
        ' id="page-texts" type="application/json"',
    ], "no inline script: only JSON data blocks"
    assert '<script src="/static/dashboard/vendor/chart.umd.min.js" defer>' in html
    assert '<script src="/static/dashboard/location.js" defer>' in html
    assert "<b>Bold</b>" not in html


def test_only_get_is_allowed(stored: Stored, browser: Client) -> None:
    path = f"/locations/{stored.location().id}/"

    assert browser.post(path).status_code == 405


@pytest.mark.parametrize(
    ("code", "is_day", "icon"),
    [
        (0, True, "clear"),
        (0, False, "clear-night"),
        (2, None, "partly-cloudy"),
        (3, False, "cloudy"),
        (45, True, "fog"),
        (53, True, "drizzle"),
        (65, True, "rain"),
        (81, True, "rain"),
        (75, True, "snow"),
        (86, True, "snow"),
        (95, True, "thunderstorm"),
        (100, True, "unknown"),
        (None, True, "unknown"),
    ],
)
def test_each_family_of_weather_codes_has_its_icon(
    code: int | None, is_day: bool | None, icon: str
) -> None:
    assert icon_name(code, is_day) == icon
