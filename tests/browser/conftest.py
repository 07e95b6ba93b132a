"""The browser tests' harness: Debian's Chromium driven by Playwright, against a live server.

One Chromium per test session (`browser`); one server per test module (`site`): gunicorn as the
image runs it (`tests.support.processes.gunicorn_server`), on a fresh SQLite copy of one migrated
database, fed by the stand-in Open-Meteo of `weather_stub.py` through the project's own commands
(`refresh_weather --sync`, `backfill_history`), so that what the page shows went through the same
pipeline as production's data. Each test gets its own browser context (cookies, language), so a
test never sees another's sign-in or language choice.

Playwright's own browser download cannot work here (no internet but package registries), and is
not needed: Debian's `chromium` package is the browser (`executable_path`). Without
/usr/bin/chromium the tests are skipped, saying so, except with `CI=true`, where they fail: CI
must run them (`.ci/run` installs the package).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import attrs
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError

from tests.browser.weather_stub import ZONE, WeatherStub
from tests.conftest import in_ci
from tests.support.processes import child_environment, gunicorn_server, run_manage
from tests.support.provider_stubs import stub_server

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
#: Where the location page's screenshots go: the git-ignored `var/screenshots/` on every run, so
#: that a test run leaves the checkout as it was; `make screenshots` points it at the committed
#: `docs/screenshots/`.
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR") or ROOT / "var" / "screenshots")
#: How long a page may take to show what the test waits for (an event, a re-render).
PATIENCE_MS = 15_000


def unavailable(message: str) -> NoReturn:
    """Skip, saying why; in CI fail instead, since CI must run the browser tests."""
    if in_ci():
        pytest.fail(f"{message}: CI must run the browser tests")
    pytest.skip(message)


# --- the browser --------------------------------------------------------------------------------


# Package-scoped, not session-scoped: Playwright's sync API keeps an asyncio loop running in the
# main thread while it is open, and every later test that calls `asyncio.run` (the event stream's)
# or Django's ORM (which then thinks it is in async code) would fail. So it is closed once the
# last browser test has run.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        unavailable(
            f"{CHROMIUM} is not installed (Debian's `apt-get install chromium`): "
            "the browser tests cannot run"
        )
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """One Chromium for the browser tests; each test opens its own context in it."""
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
    yield chromium
    chromium.close()


# --- the server ---------------------------------------------------------------------------------

#: Run by `manage.py shell` before the server starts: a staff user with a password (to sign in
#: through the admin's login page, as a person does) and a token (for the test's own API calls),
#: the tracked place the stub answers for, and a second place that is never refreshed.
SEED = """
import json
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from domain.locations import Coordinates, Location
from server_config.container import container

user = get_user_model()._default_manager.create_user(
    "reviewer", password=PASSWORD, is_staff=True, is_superuser=True
)
now = datetime.now(UTC)
samara = Location.register(
    name="Samara", coordinates=Coordinates(53.2077, 50.1355), timezone="Europe/Samara",
    country_code="RU", admin1="Samara Oblast", now=now, created_by=str(user.pk),
)
quiet = Location.register(
    name="Quietfield", coordinates=Coordinates(61.5, 23.75), timezone="Europe/Helsinki",
    country_code="FI", now=now, created_by=str(user.pk),
)
with container.unit_of_work() as uow:
    uow.locations.add(samara)
    uow.locations.add(quiet)
    uow.commit()
print(json.dumps({
    "token": Token.objects.create(user=user).key,
    "samara": str(samara.id),
    "quiet": str(quiet.id),
}))
"""


@attrs.frozen
class Site:
    """A live server and what it was seeded with."""

    base_url: str
    env: dict[str, str]
    broker_dir: Path  # the embedded broker's messages: what the server queued
    stub: WeatherStub
    location_id: str  # Samara: refreshed, with 7 days of history
    quiet_location_id: str  # Quietfield: never refreshed
    username: str
    password: str
    token: str

    def queued_messages(self) -> dict[Path, str]:
        """The messages waiting in the embedded broker, by file (no worker runs here)."""
        return {
            path: path.read_text(errors="replace")
            for path in self.broker_dir.rglob("*")
            if path.is_file()
        }

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def location_path(self, location_id: str | None = None, query: str = "") -> str:
        return f"/locations/{location_id or self.location_id}/{query}"

    def api(self, path: str, *, language: str = "en", method: str = "GET", body: Any = None) -> Any:
        """The API's JSON at `path`, as the test's own client (with the seeded token)."""
        request = urllib.request.Request(
            self.url(path),
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={
                "Accept-Language": language,
                "Authorization": f"Token {self.token}",
                "Content-Type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            return json.loads(response.read())

    def store_new_weather(self, *, temperature: float, observed_at: datetime) -> None:
        """Another process stores new weather: the stub's next answer, refreshed by
        `refresh_weather --sync` in a process of its own (not the server's)."""
        self.stub.set_current(observed_at=observed_at, temperature=temperature)
        manage(self.env, "refresh_weather", "--location", self.location_id, "--sync")

    def current_weather_once_it_is(self, observed_at: datetime) -> Any:
        """The API's current weather once it gives the reading of `observed_at`: the server's
        per-process cache may answer the one before for a few seconds (README, Persistence)."""
        deadline = time.monotonic() + PATIENCE_MS / 1000
        while True:
            current = self.api(f"/api/v1/locations/{self.location_id}/weather/current/")
            if datetime.fromisoformat(current["observed_at"].replace("Z", "+00:00")) == observed_at:
                return current
            assert time.monotonic() < deadline, f"the API still gives {current}"
            time.sleep(0.25)


def manage(env: dict[str, str], *args: str) -> str:
    done = run_manage(env, *args, timeout=180)
    assert done.returncode == 0, f"manage.py {' '.join(args)}:\n{done.stdout}{done.stderr}"
    return done.stdout


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per session; each module's server starts on a copy of it."""
    folder = tmp_path_factory.mktemp("migrated")
    manage(child_environment(folder), "migrate", "--noinput")
    return folder / "db.sqlite3"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, migrated_database: Path) -> Iterator[Site]:
    """A live server on a fresh database: Samara refreshed from the stub (current weather,
    384 hours and 16 days of forecast) with the 7 local days before today backfilled from the
    stub archive, plus a place never refreshed."""
    folder = tmp_path_factory.mktemp("site")
    for part in migrated_database.parent.glob(f"{migrated_database.name}*"):  # WAL files too
        shutil.copyfile(part, folder / part.name)
    password = f"browser-{uuid.uuid4().hex}"
    with stub_server() as http:
        stub = WeatherStub(http)
        broker = folder / "broker"  # queued tasks stay in the test's folder, never var/broker
        broker.mkdir()
        env = child_environment(
            folder, CELERY_EMBEDDED_BROKER_DIR=str(broker), **stub.environment()
        )
        seeded = manage(env, "shell", "--no-imports", "--command", f"PASSWORD={password!r}\n{SEED}")
        made = json.loads(seeded.strip().splitlines()[-1])
        manage(env, "refresh_weather", "--location", made["samara"], "--sync")
        today = datetime.now(UTC).astimezone(ZONE).date()
        manage(
            env,
            "backfill_history",
            "--location",
            made["samara"],
            "--start",
            (today - timedelta(days=7)).isoformat(),
            "--end",
            (today - timedelta(days=1)).isoformat(),
        )
        with gunicorn_server(env, log_file=folder / "server.log") as base_url:
            yield Site(
                base_url=base_url,
                env=env,
                broker_dir=broker,
                stub=stub,
                location_id=made["samara"],
                quiet_location_id=made["quiet"],
                username="reviewer",
                password=password,
                token=made["token"],
            )


# --- pages --------------------------------------------------------------------------------------


@attrs.define(slots=False)  # Playwright keeps a wrapper on each bound handler's instance
class Watch:
    """Everything a page asked for and every error it reported, from the moment it opened."""

    origin: str
    requests: list[str] = attrs.field(factory=list)
    errors: list[str] = attrs.field(factory=list)

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location})")

    def on_page_error(self, error: PlaywrightError) -> None:
        self.errors.append(f"page error: {error}")

    def elsewhere(self) -> list[str]:
        """The requests that went to any other origin than the server's (data: and blob: URLs
        are the page's own and go nowhere)."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in ("data", "blob", "about")
            and f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" != self.origin
        ]


def watch(page: Page, origin: str) -> Watch:
    seen = Watch(origin=origin)
    page.on("request", seen.on_request)
    page.on("console", seen.on_console)
    page.on("pageerror", seen.on_page_error)
    return seen


@contextlib.contextmanager
def open_context(
    browser: Browser, site: Site, *, locale: str = "en-US", **options: Any
) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=site.base_url, locale=locale, **options)
    context.set_default_timeout(PATIENCE_MS)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def context(browser: Browser, site: Site) -> Iterator[BrowserContext]:
    """An anonymous visitor whose browser asks for English."""
    with open_context(browser, site) as fresh:
        yield fresh


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(scope="module")
def signed_in_state(browser: Browser, site: Site) -> dict[str, Any]:
    """The cookies of a person who signed in through the admin's login page (once per module)."""
    with open_context(browser, site) as fresh:
        page = fresh.new_page()
        page.goto("/admin/login/?next=/admin/")
        page.fill("#id_username", site.username)
        page.fill("#id_password", site.password)
        page.click("[type=submit]")
        page.wait_for_url("**/admin/")
        state: dict[str, Any] = dict(fresh.storage_state())
        return state


@pytest.fixture
def signed_in_page(browser: Browser, site: Site, signed_in_state: Any) -> Iterator[Page]:
    with open_context(browser, site, storage_state=signed_in_state) as fresh:
        yield fresh.new_page()
