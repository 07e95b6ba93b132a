"""No page of the project loads anything from another host, and none reports an error: checked
in the browser, by recording every request a page makes while it loads and settles (fonts,
scripts, styles, images, fetches), not by reading templates (CONTRACT.md §5)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import Site, watch

pytestmark = pytest.mark.browser

#: `{location}` is the seeded place's id, `{quiet}` the one never refreshed.
DASHBOARD_PAGES = ["/", "/locations/{location}/", "/locations/{quiet}/"]
ANONYMOUS_PAGES = [*DASHBOARD_PAGES, "/admin/login/", "/api/v1/docs/", "/api/v1/redoc/"]
SIGNED_IN_PAGES = [
    *DASHBOARD_PAGES,
    "/admin/",
    "/admin/weather/location/",
    "/admin/weather/observation/",
]


def visit(page: Page, site: Site, path: str) -> tuple[list[str], list[str], list[str]]:
    """Open `path`, wait until the network is quiet; what it asked for, elsewhere, and errors."""
    path = path.format(location=site.location_id, quiet=site.quiet_location_id)
    seen = watch(page, site.base_url)
    response = page.goto(path, wait_until="networkidle")
    assert response is not None
    assert response.status == 200, f"{path} answered {response.status}"
    return seen.requests, seen.elsewhere(), seen.errors


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_a_page_loads_nothing_from_another_host_and_reports_no_error(
    page: Page, site: Site, path: str
) -> None:
    requests, elsewhere, errors = visit(page, site, path)
    assert len(requests) > 1, f"{path} loaded nothing but itself: {requests}"
    assert elsewhere == [], f"{path} asked other hosts for {elsewhere}"
    assert errors == []


def test_the_api_documentation_draws_the_schema_from_the_server(page: Page, site: Site) -> None:
    """Swagger UI and ReDoc render the operations: their scripts ran, from the server."""
    for path, operation in (
        ("/api/v1/docs/", ".opblock"),
        ("/api/v1/redoc/", "[data-section-id]"),
    ):
        seen = watch(page, site.base_url)
        page.goto(path, wait_until="networkidle")
        page.wait_for_selector(operation)
        assert any(url.endswith("/api/v1/schema/") for url in seen.requests), path


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_a_signed_in_page_loads_nothing_from_another_host_and_reports_no_error(
    signed_in_page: Page, site: Site, path: str
) -> None:
    _, elsewhere, errors = visit(signed_in_page, site, path)
    assert elsewhere == [], f"{path} asked other hosts for {elsewhere}"
    assert errors == []


@pytest.mark.parametrize("path", sorted(set(ANONYMOUS_PAGES + SIGNED_IN_PAGES)))
def test_every_page_has_an_icon_from_the_server(
    signed_in_page: Page, site: Site, path: str
) -> None:
    """The tab's icon is the page's `<link rel="icon">`, or else `/favicon.ico`, which a browser
    asks for on its own after the page loads (too late for the checks above to be sure of
    seeing it): either way it comes from the server, and exists, so no 404 reaches the console."""
    page = signed_in_page
    page.goto(path.format(location=site.location_id, quiet=site.quiet_location_id))
    icon = page.evaluate("() => document.querySelector('link[rel~=icon]')?.href ?? null")
    icon = icon or site.url("/favicon.ico")
    assert icon.startswith(f"{site.base_url}/") or icon.startswith("data:"), icon
    if not icon.startswith("data:"):
        answer = page.request.get(icon)
        assert answer.status == 200, f"{path}: its icon {icon} answers {answer.status}"
