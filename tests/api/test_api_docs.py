"""The API documentation loads nothing from another host (CONTRACT.md §5): Swagger UI and Redoc
come from the installed sidecar package, Redoc without drf-spectacular's Google Fonts links,
Swagger UI without the online validator's badge. What the pages do once their scripts run is
checked in the browser tests; this reads what the server sends.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

DOCS = ["/api/v1/docs/", "/api/v1/redoc/"]
HOST = "docs.example.org"
#: Redoc's bundle, served without the logo it would fetch from cdn.redoc.ly.
REDOC_BUNDLE = "/api/v1/redoc/redoc.standalone.js"


class Addresses(HTMLParser):
    """Every address an element of the page names: what a browser would fetch or follow."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "poster", "data") and value:
                self.found.append(value)


def addresses_of(html: str) -> list[str]:
    parser = Addresses()
    parser.feed(html)
    return parser.found


@pytest.fixture
def browser(settings: object) -> Client:
    settings.ALLOWED_HOSTS = [HOST]  # type: ignore[attr-defined]
    return Client(HTTP_HOST=HOST)


@pytest.mark.parametrize("path", DOCS)
def test_every_address_of_the_api_docs_is_on_this_server(browser: Client, path: str) -> None:
    response = browser.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    found = addresses_of(html)
    assert found, "the page loads its UI from elements that name addresses"
    for address in found:
        parts = urlsplit(address)
        assert parts.scheme in ("", "http", "https"), address
        assert parts.netloc in ("", HOST), f"{address} is on another host"
    # Nor in what no attribute names: inline styles, preconnect hints, protocol-relative URLs.
    assert not re.search(r"(?:https?:)?//(?!" + re.escape(HOST) + r")[\w.-]+\.\w+/", html), html
    assert "fonts.googleapis.com" not in html
    assert "fonts.gstatic.com" not in html


@pytest.mark.parametrize("path", DOCS)
def test_every_file_the_api_docs_load_is_a_static_file_of_the_project(
    browser: Client, path: str
) -> None:
    html = browser.get(path).content.decode()

    files = [urlsplit(address).path for address in addresses_of(html)]

    assert files
    for file in files:
        if file == REDOC_BUNDLE:
            assert browser.get(file).status_code == 200
            continue
        assert file.startswith("/static/"), file
        assert finders.find(file.removeprefix("/static/")), f"{file} is not served"


def test_redocs_bundle_is_the_installed_one_without_its_remote_logo(browser: Client) -> None:
    installed = finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")
    assert isinstance(installed, str)
    with open(installed, "rb") as bundle:
        original = bundle.read()
    assert b"https://cdn.redoc.ly/redoc/logo-mini.svg" in original  # what there is to take out

    response = browser.get(REDOC_BUNDLE)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    served = response.content
    assert b"cdn.redoc.ly" not in served
    assert served == original.replace(b'"https://cdn.redoc.ly/redoc/logo-mini.svg"', b'""')
    again = browser.get(REDOC_BUNDLE, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_swagger_ui_shows_no_badge_from_the_online_validator(browser: Client) -> None:
    html = browser.get("/api/v1/docs/").content.decode()

    match = re.search(r"const swaggerSettings = (\{.*?\});", html, re.S)

    assert match, html
    assert json.loads(match.group(1))["validatorUrl"] is None


def test_redoc_uses_the_systems_fonts_not_google_fonts(browser: Client) -> None:
    html = browser.get("/api/v1/redoc/").content.decode()

    match = re.search(r"const redocSettings = (\{.*?\});", html, re.S)

    assert match, html
    typography = json.loads(match.group(1))["theme"]["typography"]
    assert "system-ui" in typography["fontFamily"]
    assert "Montserrat" not in html
    assert "<link" not in html  # drf-spectacular's own page links three addresses of Google's
