"""`/locations/<id>/` against the DOM contract, with the API as the reference: what the page draws
and writes is compared with what the API answers for the same place, units and language, so a
page that invents, drops or mislabels data fails. Screenshots of it in English and French are
written to var/screenshots/ (`make screenshots`: docs/screenshots/, for a reviewer who does not
run anything).

The last test makes another process store new weather and waits for the open page to show it,
through the event stream, without a reload; it runs last since it changes the place's data.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Locator, Page, Response, expect

from tests.browser.conftest import PATIENCE_MS, SCREENSHOTS, Site, watch

pytestmark = pytest.mark.browser

TEMPERATURE = re.compile(r"(-?\d+(?:[.,]\d+)?)\s*°([CF])")


def shown_temperature(text: str) -> tuple[float, str]:
    """The number and unit of a text such as "18.5 °C" (or "18,5 °C" in French)."""
    found = TEMPERATURE.search(text)
    assert found is not None, f"no temperature in {text!r}"
    return float(found.group(1).replace(",", ".")), f"°{found.group(2)}"


def assert_shows(text: str, temperature: float, unit: str) -> float:
    """`text` shows `temperature` (as the page rounds it, to a tenth) in `unit`; the number."""
    value, shown_unit = shown_temperature(text)
    assert shown_unit == unit, text
    assert value == pytest.approx(temperature, abs=0.05), text
    return value


def temperature_of(scope: Page | Locator) -> str:
    return scope.get_by_test_id("current-temperature").inner_text()


def instant(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_the_charts_draw_as_many_points_as_the_api_gives(page: Page, site: Site) -> None:
    hourly = site.api(f"/api/v1/locations/{site.location_id}/weather/forecast/?hours=48")
    summaries = site.api(f"/api/v1/locations/{site.location_id}/weather/daily/")
    # The seed is what makes this comparison worth something: 0 = 0 would prove nothing.
    assert len(hourly["hourly"]) == 48
    assert len(summaries["results"]) == 7

    page.goto(site.location_path())
    hourly_chart = page.get_by_test_id("chart-hourly")
    history_chart = page.get_by_test_id("chart-history")
    expect(hourly_chart).to_have_attribute("data-points", "48")
    expect(history_chart).to_have_attribute("data-points", str(len(summaries["results"])))
    expect(hourly_chart).to_have_attribute("data-units", "°C")
    expect(history_chart).to_have_attribute("data-units", "°C")
    expect(hourly_chart).to_be_visible()
    expect(history_chart).to_be_visible()


def test_the_current_conditions_are_the_apis_in_words_with_an_icon(page: Page, site: Site) -> None:
    current = site.api(f"/api/v1/locations/{site.location_id}/weather/current/")
    page.goto(site.location_path())
    block = page.get_by_test_id("current")
    expect(block.get_by_test_id("condition")).to_have_text(current["condition_label"])
    icon = block.get_by_test_id("condition-icon")
    expect(icon).to_be_visible()
    label = icon.get_attribute("alt") or icon.get_attribute("aria-label") or ""
    assert label.strip(), "the condition icon has no text alternative"
    assert_shows(temperature_of(block), current["temperature"], "°C")
    observed = block.get_attribute("data-observed-at")
    assert observed is not None
    assert instant(observed) == instant(current["observed_at"])


def test_the_daily_forecast_has_a_row_per_day_of_the_apis_week(page: Page, site: Site) -> None:
    daily = site.api(f"/api/v1/locations/{site.location_id}/weather/forecast/daily/?days=7")
    page.goto(site.location_path())
    rows = page.get_by_test_id("daily-forecast").locator("tr[data-date]")
    expect(rows).to_have_count(7)
    dates = [rows.nth(index).get_attribute("data-date") for index in range(7)]
    assert dates == [day["date"] for day in daily["daily"]]


def test_the_units_switch_changes_the_numbers_and_the_labels(page: Page, site: Site) -> None:
    imperial = site.api(f"/api/v1/locations/{site.location_id}/weather/current/?units=imperial")
    page.goto(site.location_path())
    metric_value, _ = shown_temperature(temperature_of(page))

    page.get_by_test_id("units-imperial").click()
    page.wait_for_url(re.compile(r"[?&]units=imperial"))
    temperature = temperature_of(page)
    value = assert_shows(temperature, imperial["temperature"], "°F")
    assert value != pytest.approx(metric_value)
    expect(page.get_by_test_id("chart-hourly")).to_have_attribute("data-units", "°F")
    expect(page.get_by_test_id("chart-history")).to_have_attribute("data-units", "°F")
    expect(page.get_by_test_id("daily-forecast")).to_contain_text("°F")
    expect(page.get_by_test_id("daily-forecast")).not_to_contain_text("°C")

    page.get_by_test_id("units-metric").click()
    page.wait_for_url(re.compile(r"[?&]units=metric"))
    assert_shows(temperature_of(page), metric_value, "°C")


def test_the_page_in_english_and_in_french_with_screenshots(page: Page, site: Site) -> None:
    english = site.api(f"/api/v1/locations/{site.location_id}/weather/current/")
    french = site.api(f"/api/v1/locations/{site.location_id}/weather/current/", language="fr")
    assert french["condition_label"] != english["condition_label"]

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site.location_path())
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("condition")).to_have_text(english["condition_label"])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "location-page-en.png", full_page=True)

    switch = page.get_by_test_id("language-switch")
    switch.locator("select[name=language]").select_option("fr")
    switch.locator("[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.wait_for_url(f"**{site.location_path()}")  # back on the same page
    expect(page.get_by_test_id("condition")).to_have_text(french["condition_label"])
    assert_shows(temperature_of(page), french["temperature"], "°C")
    page.screenshot(path=SCREENSHOTS / "location-page-fr.png", full_page=True)


def test_a_place_without_a_reading_says_so(page: Page, site: Site) -> None:
    seen = watch(page, site.base_url)
    response = page.goto(site.location_path(site.quiet_location_id))
    assert response is not None
    assert response.status == 200
    expect(page.get_by_test_id("no-reading")).to_be_visible()
    expect(page.get_by_test_id("language-switch")).to_be_visible()
    assert seen.errors == []


def test_an_unknown_place_is_a_404_page_in_the_dashboards_style(page: Page, site: Site) -> None:
    response = page.goto(site.location_path(str(uuid.uuid4())))
    assert response is not None
    assert response.status == 404
    assert "text/html" in (response.headers.get("content-type") or "")
    expect(page.get_by_test_id("language-switch")).to_be_visible()  # the dashboard's frame
    expect(page.locator("body")).not_to_contain_text("Traceback")


def test_an_anonymous_visitor_has_no_refresh_button_and_no_rules(page: Page, site: Site) -> None:
    page.goto(site.location_path())
    expect(page.get_by_test_id("current")).to_be_visible()
    expect(page.get_by_test_id("refresh-now")).to_have_count(0)
    expect(page.get_by_test_id("alert-rules")).to_have_count(0)


def test_a_signed_in_person_sees_their_rules_and_queues_a_refresh(
    signed_in_page: Page, site: Site
) -> None:
    site.api(  # the signed-in person's own rule, made through the API with their token
        "/api/v1/alert-rules/",
        method="POST",
        body={
            "location_id": site.location_id,
            "metric": "wind_speed",
            "operator": "gte",
            "threshold": 87.5,
        },
    )
    page = signed_in_page
    seen = watch(page, site.base_url)
    page.goto(site.location_path())
    rules = page.get_by_test_id("alert-rules")
    expect(rules).to_contain_text("87.5")

    status = page.get_by_test_id("refresh-status")
    queued_before = site.queued_messages()
    with page.expect_response(
        lambda answer: (
            answer.request.method == "POST"
            and answer.url.endswith(f"/api/v1/locations/{site.location_id}/refresh/")
        )
    ) as queued:
        page.get_by_test_id("refresh-now").click()
    answer: Response = queued.value
    assert answer.status == 202, answer.text()
    expect(status).not_to_be_empty()
    messages = [body for path, body in site.queued_messages().items() if path not in queued_before]
    assert any("weather.refresh_location" in body for body in messages), messages
    assert seen.errors == []


def test_an_open_page_shows_weather_another_process_stored_without_a_reload(
    page: Page, site: Site
) -> None:
    seen = watch(page, site.base_url)
    page.goto(site.location_path())
    page.wait_for_function("document.body.dataset.live === 'open'", timeout=PATIENCE_MS)
    assert site.url(f"/api/v1/events/?location={site.location_id}") in seen.requests
    page.evaluate("window.__notReloaded = true")
    before = page.get_by_test_id("current").get_attribute("data-observed-at")
    assert before is not None

    observed_at = datetime.now(UTC).replace(second=0, microsecond=0)  # the seed's was 30 min ago
    site.store_new_weather(temperature=-7.5, observed_at=observed_at)
    stored = site.current_weather_once_it_is(observed_at)
    assert stored["temperature"] == pytest.approx(-7.5)

    block = page.get_by_test_id("current")
    expect(block).not_to_have_attribute("data-observed-at", before, timeout=PATIENCE_MS)
    assert instant(block.get_attribute("data-observed-at") or "") == instant(stored["observed_at"])
    assert_shows(temperature_of(block), stored["temperature"], "°C")
    assert page.evaluate("window.__notReloaded") is True, "the page reloaded instead"
    # What was re-rendered is whole: both charts drawn again, the week's table.
    expect(page.get_by_test_id("chart-hourly")).to_have_attribute("data-points", "48")
    expect(page.get_by_test_id("chart-history")).to_have_attribute("data-points", "7")
    expect(page.get_by_test_id("daily-forecast").locator("tr[data-date]")).to_have_count(7)
    assert seen.errors == []
