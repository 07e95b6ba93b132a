"""Every control of the dashboard's pages can be reached with the keyboard alone, and axe-core
finds no serious or critical accessibility violation on them.

axe-core comes from the npm registry, pinned by `tests/browser/package-lock.json`, installed by
`npm ci` into the git-ignored `tests/browser/node_modules` (again only when the lock changes),
and injected into the page by the test alone: the project never serves it. Without npm the axe
tests are skipped, saying so (they fail with `CI=true`); the keyboard tests need only Chromium.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import Site, open_context, unavailable
from tests.support.node import MINIMUM_NODE, run_node_tool

pytestmark = pytest.mark.browser

PACKAGE_DIR = Path(__file__).parent
LOCK_FILE = PACKAGE_DIR / "package-lock.json"
NODE_MODULES = PACKAGE_DIR / "node_modules"
INSTALLED_STAMP = NODE_MODULES / ".installed-from-lock"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"

#: The impacts that fail a page (axe's scale: minor, moderate, serious, critical).
FAILING_IMPACTS = ("serious", "critical")

#: Marks every control a person should reach with Tab, numbered; returns how many. A control is
#: a link with an address, a button, a field or one made focusable, that is enabled, rendered
#: (it has a box and is not hidden) and not taken out of the tab order with tabindex=-1.
NUMBER_THE_CONTROLS = """() => {
  const candidates = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]'
  );
  const controls = [...candidates].filter((element) =>
    !element.disabled && element.tabIndex >= 0 && element.getClientRects().length > 0 &&
    getComputedStyle(element).visibility !== 'hidden'
  );
  controls.forEach((element, index) => { element.dataset.keyboardCheck = String(index); });
  return controls.map((element) =>
    `${element.tagName.toLowerCase()} ${(element.textContent || element.name || '').trim()}`
      .slice(0, 60)
  );
}"""


def pages(site: Site) -> dict[str, str]:
    return {
        "overview": "/",
        "overview, searched": "/?search=sam",
        "location": site.location_path(),
        "location, imperial": site.location_path(query="?units=imperial"),
        "location without a reading": site.location_path(site.quiet_location_id),
    }


def reached_with_tab(page: Page, count: int) -> set[int]:
    """The numbered controls that Tab focuses, from the top of the page, once round."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    reached: set[int] = set()
    for _ in range(count + 10):  # a few extra presses for focusable things not counted
        page.keyboard.press("Tab")
        number = page.evaluate("() => document.activeElement?.dataset?.keyboardCheck ?? null")
        if number is not None:
            reached.add(int(number))
    return reached


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed in"])
def test_tab_reaches_every_control_of_every_page(
    browser: Browser, site: Site, signed_in_state: Any, signed_in: bool
) -> None:
    state = signed_in_state if signed_in else None
    with open_context(browser, site, storage_state=state) as context:
        page = context.new_page()
        for name, path in pages(site).items():
            page.goto(path, wait_until="networkidle")
            controls: list[str] = page.evaluate(NUMBER_THE_CONTROLS)
            assert len(controls) > 3, f"{name}: hardly any controls found: {controls}"
            reached = reached_with_tab(page, len(controls))
            missed = [control for index, control in enumerate(controls) if index not in reached]
            assert missed == [], f"{name} ({path}): Tab never reaches {missed}"


# --- axe-core -----------------------------------------------------------------------------------


def _lock_digest() -> str:
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((PACKAGE_DIR / name).read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def axe_source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """axe-core's script as the lock file pins it, installed by `npm ci` when it is not (npm's
    download cache in this run's temporary folder); the lock held while it is read."""
    npm = shutil.which("npm")
    if npm is None:
        unavailable(f"npm (with Node.js {MINIMUM_NODE}+) is not installed: axe-core cannot be had")
    with LOCK_FILE.open("rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        digest = _lock_digest()
        stamp = INSTALLED_STAMP.read_text() if INSTALLED_STAMP.exists() else ""
        if stamp != digest or not AXE.exists():
            cache = tmp_path_factory.mktemp("npm-cache")
            run_node_tool(
                [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--cache", cache],
                cwd=PACKAGE_DIR,
                env={**os.environ, "npm_config_update_notifier": "false"},
                timeout=600,
            )
            INSTALLED_STAMP.write_text(digest)
        fcntl.flock(lock, fcntl.LOCK_SH)
        yield AXE.read_text(encoding="utf-8")


def serious_violations(page: Page, axe: str) -> list[str]:
    page.add_script_tag(content=axe)
    results: dict[str, Any] = page.evaluate(
        "() => axe.run(document, { resultTypes: ['violations'] })"
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["html"][:120] for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed in"])
@pytest.mark.parametrize("locale", ["en-US", "fr-FR"])
def test_axe_finds_no_serious_violation(
    browser: Browser,
    site: Site,
    signed_in_state: Any,
    axe_source: str,
    signed_in: bool,
    locale: str,
) -> None:
    state = signed_in_state if signed_in else None
    # bypass_csp: the test's own script must run even where the page's policy forbids inline ones.
    with open_context(
        browser, site, locale=locale, storage_state=state, bypass_csp=True
    ) as context:
        page = context.new_page()
        found = {}
        for name, path in pages(site).items():
            page.goto(path, wait_until="networkidle")
            found[name] = serious_violations(page, axe_source)
        assert {name: issues for name, issues in found.items() if issues} == {}
