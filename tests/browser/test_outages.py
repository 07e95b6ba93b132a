"""The pages when something they need is down: the event stream (a visible notice, the page
still whole, no script crash) and the database (a 503 page in the dashboard's own frame, with
`Retry-After`, never a traceback or Django's bare error page)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from tests.browser.conftest import PATIENCE_MS, Site, watch
from tests.support.processes import child_environment, free_port, gunicorn_server

pytestmark = pytest.mark.browser

STREAM_DOWN = (
    '{"type": "about:blank", "title": "Service unavailable", "status": 503, '
    '"detail": "The event stream is down (a test)."}'
)


def test_a_stream_that_is_down_shows_a_notice_and_leaves_the_page_whole(
    context: BrowserContext, site: Site
) -> None:
    def refuse(route: Route) -> None:
        route.fulfill(status=503, body=STREAM_DOWN, content_type="application/problem+json")

    context.route("**/api/v1/events/**", refuse)
    page = context.new_page()
    seen = watch(page, site.base_url)
    page.goto(site.location_path())
    expect(page.get_by_test_id("live-notice")).to_be_visible(timeout=PATIENCE_MS)
    expect(page.get_by_test_id("live-notice")).not_to_be_empty()
    assert page.evaluate("document.body.dataset.live") != "open"
    expect(page.get_by_test_id("current")).to_be_visible()
    expect(page.get_by_test_id("chart-hourly")).to_have_attribute("data-points", "48")
    # The browser logs the refused request itself; what must not happen is a script error.
    assert [error for error in seen.errors if error.startswith("page error")] == []


@pytest.fixture(scope="module")
def server_without_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server whose PostgreSQL does not listen (a free port nobody serves)."""
    folder: Path = tmp_path_factory.mktemp("no-database")
    env = child_environment(
        folder, DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/absent"
    )
    with gunicorn_server(env) as base_url:
        yield base_url


@pytest.mark.parametrize("path", ["/", "/locations/0d7e4c1a-5b2f-4e3d-8a9b-1c2d3e4f5a6b/"])
def test_a_database_that_is_down_is_a_503_page_in_the_dashboards_frame(
    browser: Browser, server_without_database: str, path: str
) -> None:
    context = browser.new_context(base_url=server_without_database, locale="fr-FR")
    try:
        page: Page = context.new_page()
        response = page.goto(path)
        assert response is not None
        assert response.status == 503
        assert response.headers.get("retry-after")
        assert "text/html" in (response.headers.get("content-type") or "")
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.get_by_test_id("language-switch")).to_be_visible()
        expect(page.locator("body")).not_to_contain_text("Traceback")
    finally:
        context.close()
