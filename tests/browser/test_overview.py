"""`/` as a person uses it: the search box finds a tracked place, every row links to its page,
the language switch turns the page French, and a signed-in person adds a place through the
geocoder (choosing among its matches) and lands on the new place's page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Site, watch

pytestmark = pytest.mark.browser

SEARCH_BOX = "form[role=search] input[type=search][name=search]"


def test_the_search_box_finds_a_tracked_location_and_links_to_its_page(
    page: Page, site: Site
) -> None:
    seen = watch(page, site.base_url)
    page.goto("/")
    expect(page.get_by_test_id("location-link")).to_have_count(2)
    box = page.locator(SEARCH_BOX)
    expect(box).to_have_accessible_name(re.compile(r"\S"))  # labelled, not a bare box

    box.fill("sama")
    box.press("Enter")
    page.wait_for_url(re.compile(r"[?&]search=sama"))

    links = page.get_by_test_id("location-link")
    expect(links).to_have_count(1)
    expect(links).to_have_text("Samara")
    expect(links).to_have_attribute("href", site.location_path())
    links.click()
    page.wait_for_url(f"**{site.location_path()}")
    expect(page.get_by_test_id("current")).to_be_visible()
    assert seen.errors == []


def test_a_search_that_matches_nothing_says_so(page: Page, site: Site) -> None:
    page.goto("/")
    box = page.locator(SEARCH_BOX)
    box.fill("atlantis")
    box.press("Enter")
    page.wait_for_url(re.compile(r"[?&]search=atlantis"))
    expect(page.get_by_test_id("location-link")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("atlantis")


def test_the_language_switch_turns_the_overview_french(page: Page, site: Site) -> None:
    page.goto("/")
    expect(page.locator("h1")).to_contain_text("Tracked locations")
    switch = page.get_by_test_id("language-switch")
    switch.locator("select[name=language]").select_option("fr")
    switch.locator("[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_contain_text("Lieux suivis")
    # The choice sticks: the next page is French too, whatever the browser asks for.
    page.goto(site.location_path())
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_an_anonymous_visitor_is_not_offered_to_add_a_place(page: Page, site: Site) -> None:
    page.goto("/")
    expect(page.get_by_test_id("location-link").first).to_be_visible()
    expect(page.get_by_test_id("add-place")).to_have_count(0)


def test_a_signed_in_person_adds_a_place_among_the_geocoders_matches(
    signed_in_page: Page, site: Site
) -> None:
    """The stub geocoder answers its recording (six places for "Samara"); picking the last,
    Thamara in Kenya, stores it and lands on its page, which has no reading yet."""
    page = signed_in_page
    seen = watch(page, site.base_url)
    page.goto("/")
    form = page.get_by_test_id("add-place")
    form.locator("input[name=name]").fill("Thamara")
    form.locator("input[name=name]").press("Enter")

    matches = page.get_by_test_id("place-match")
    expect(matches).to_have_count(6)
    thamara = matches.filter(has_text="Thamara")
    expect(thamara).to_have_count(1)
    thamara.get_by_role("button").click()

    page.wait_for_url(re.compile(r"/locations/[0-9a-f-]{36}/$"))
    new_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert new_id not in (site.location_id, site.quiet_location_id)
    stored = site.api(f"/api/v1/locations/{new_id}/")
    assert (stored["name"], stored["country_code"]) == ("Thamara", "KE")
    expect(page.get_by_test_id("no-reading")).to_be_visible()
    assert seen.elsewhere() == []
    assert seen.errors == []
