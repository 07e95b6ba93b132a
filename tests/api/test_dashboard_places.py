"""`/`: the search box over tracked locations and, for a signed-in user, "add a place" through the
geocoder (CONTRACT.md §5), through Django's client with the geocoder faked in the container."""

from __future__ import annotations

import re
from typing import Any

import pytest
from dependency_injector import providers
from django.test import Client

from application.use_cases.geocode import Geocode
from domain.locations import Coordinates
from server_config.container import container
from tests.api.conftest import DATABASES, Stored
from tests.support.fakes.providers import FakeGeocoder

pytestmark = pytest.mark.django_db(databases=DATABASES)


@pytest.fixture
def browser() -> Client:
    return Client()


@pytest.fixture
def signed_in(browser: Client, alice: Any) -> Client:
    browser.force_login(alice)
    return browser


def html_of(response: Any) -> str:
    assert response.status_code == 200, response.content
    return str(response.content.decode())


def match_forms(html: str) -> list[dict[str, str]]:
    """Each `place-match` item's hidden fields, as the browser would post them."""
    items = re.findall(r'<li data-testid="place-match">(.*?)</li>', html, re.S)
    return [
        dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', item))
        for item in items
    ]


def test_the_search_box_is_a_labelled_search_form_that_finds_tracked_locations(
    stored: Stored, browser: Client
) -> None:
    paris = stored.location("Paris", coordinates=Coordinates(48.85, 2.35))
    stored.location("Samara")

    html = html_of(browser.get("/?search=par"))

    form = re.search(r'<form role="search"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None
    field = re.search(r'<input type="search" id="([^"]+)" name="search" value="par"', form.group(1))
    assert field is not None
    assert f'<label for="{field.group(1)}">' in form.group(1)
    links = re.findall(r'<a data-testid="location-link" href="([^"]+)">([^<]+)</a>', html)
    assert links == [(f"/locations/{paris.id}/", "Paris")]


def test_anonymous_visitors_see_no_add_place_form_but_how_to_sign_in(
    stored: Stored, browser: Client, geocoder: FakeGeocoder
) -> None:
    html = html_of(browser.get("/?name=Paris"))

    assert 'data-testid="add-place"' not in html
    assert 'data-testid="place-match"' not in html
    assert 'href="/sign-in/?next=' in html
    assert "Places matching" not in html


def test_a_signed_in_user_sees_the_geocoders_matches_each_with_its_add_button(
    stored: Stored, signed_in: Client, geocoder: FakeGeocoder
) -> None:
    html = html_of(signed_in.get("/?name=Par"))

    form = re.search(r'<form[^>]*data-testid="add-place"[^>]*>(.*?)</form>', html, re.S)
    assert form is not None
    assert re.search(r'<input type="text" id="[^"]+" name="name" value="Par"', form.group(1))
    matches = match_forms(html)
    assert [match["name"] for match in matches] == ["Paris", "Parish"]
    assert matches[0] == {
        "csrfmiddlewaretoken": matches[0]["csrfmiddlewaretoken"],
        "name": "Paris",
        "latitude": "48.8534",
        "longitude": "2.3488",
        "timezone": "Europe/Paris",
        "country_code": "FR",
        "admin1": "Île-de-France",
        "elevation": "42.0",
    }
    assert html.count('action="/places/" method="post"') == 2
    assert "2,138,551 inhabitants" in html


def test_french_matches_keep_dot_decimals_in_what_they_post(
    stored: Stored, signed_in: Client, geocoder: FakeGeocoder
) -> None:
    html = html_of(signed_in.get("/?name=Par", headers={"Accept-Language": "fr"}))

    assert match_forms(html)[0]["latitude"] == "48.8534"


def test_adding_a_match_registers_it_as_the_user_and_lands_on_its_page(
    stored: Stored, signed_in: Client, alice: Any, geocoder: FakeGeocoder
) -> None:
    (paris, _) = match_forms(html_of(signed_in.get("/?name=Par")))

    response = signed_in.post("/places/", paris)

    assert response.status_code == 303
    with stored.uow() as uow:
        (location,) = uow.locations.all()
    assert response["Location"] == f"/locations/{location.id}/"
    assert (location.name, location.timezone, location.country_code) == (
        "Paris",
        "Europe/Paris",
        "FR",
    )
    assert location.created_by == str(alice.pk)
    assert signed_in.get(response["Location"]).status_code == 200


def test_adding_a_place_already_tracked_lands_on_the_existing_page(
    stored: Stored, signed_in: Client, geocoder: FakeGeocoder
) -> None:
    existing = stored.location("Paris", coordinates=Coordinates(48.8534, 2.3488))
    (paris, _) = match_forms(html_of(signed_in.get("/?name=Par")))

    response = signed_in.post("/places/", paris)

    assert response.status_code == 303
    assert response["Location"] == f"/locations/{existing.id}/"
    with stored.uow() as uow:
        assert len(uow.locations.all()) == 1


def test_a_bad_field_is_a_400_page_naming_it(stored: Stored, signed_in: Client) -> None:
    response = signed_in.post("/places/", {"name": "X", "latitude": "91", "longitude": "abc"})

    assert response.status_code == 400
    assert "The <code>longitude</code> parameter" in response.content.decode()


def test_anonymous_visitors_cannot_add_places(stored: Stored, browser: Client) -> None:
    response = browser.post("/places/", {"name": "Paris", "latitude": "1", "longitude": "2"})

    assert response.status_code == 403
    assert "Only signed-in users can add places." in response.content.decode()
    with stored.uow() as uow:
        assert uow.locations.all() == []


def test_adding_without_the_csrf_token_is_refused(stored: Stored, alice: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)

    response = browser.post("/places/", {"name": "Paris", "latitude": "1", "longitude": "2"})

    assert response.status_code == 403
    with stored.uow() as uow:
        assert uow.locations.all() == []


def test_an_unreachable_geocoder_is_a_notice_not_an_error_page(
    stored: Stored, signed_in: Client, geocoder: FakeGeocoder
) -> None:
    stored.location("Samara")
    geocoder.fail()

    html = html_of(signed_in.get("/?name=Paris"))

    assert "The place search cannot be reached right now" in html
    assert 'data-testid="place-match"' not in html
    assert "Samara" in html


def test_no_match_says_so(stored: Stored, signed_in: Client) -> None:
    with container.geocode.override(providers.Object(Geocode([FakeGeocoder([])]))):
        html = html_of(signed_in.get("/?name=Nowhere"))

    assert "The geocoder knows no place by that name." in html


def test_only_post_adds(stored: Stored, signed_in: Client) -> None:
    assert signed_in.get("/places/").status_code == 405


def test_favicon_ico_leads_to_the_dashboards_icon(browser: Client) -> None:
    response = browser.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == "/static/dashboard/icons/partly-cloudy.svg"
