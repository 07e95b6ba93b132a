"""The chart library the dashboard serves is the one its lock file pins, with its licence.

`adapters/dashboard/assets/` pins Chart.js in `package.json` and `package-lock.json`;
`vendor.sh` copies the built file into `static/dashboard/vendor/` (committed, so that no page needs
npm or a CDN) and writes `VENDORED.json`: the locked version and integrity, and the SHA-256 of the
file copied. A relock without re-vendoring, or a hand-edited copy, fails here.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders

DASHBOARD = Path(__file__).resolve().parents[2] / "adapters" / "dashboard"
ASSETS = DASHBOARD / "assets"
VENDOR = DASHBOARD / "static" / "dashboard" / "vendor"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def vendored() -> list[dict[str, str]]:
    entries: list[dict[str, str]] = _json(VENDOR / "VENDORED.json")
    return entries


def test_package_json_pins_exact_versions_and_the_lock_resolves_them() -> None:
    wanted = _json(ASSETS / "package.json")["dependencies"]
    locked = _json(ASSETS / "package-lock.json")["packages"]

    assert wanted == {"chart.js": wanted["chart.js"]}
    for name, version in wanted.items():
        assert version[0].isdigit(), f"{name} must be pinned exactly, not {version!r}"
        assert locked[f"node_modules/{name}"]["version"] == version


def test_each_vendored_file_is_the_locked_version_byte_for_byte(
    vendored: list[dict[str, str]],
) -> None:
    locked = _json(ASSETS / "package-lock.json")["packages"]

    assert [entry["package"] for entry in vendored] == ["chart.js"]
    for entry in vendored:
        lock = locked[f"node_modules/{entry['package']}"]
        assert (entry["version"], entry["integrity"]) == (lock["version"], lock["integrity"])
        content = (VENDOR / entry["file"]).read_bytes()
        assert hashlib.sha256(content).hexdigest() == entry["sha256"], "re-run vendor.sh"
        assert f"Chart.js v{entry['version']}\n".encode() in content[:200]
        assert b"sourceMappingURL" not in content, "collectstatic would look for the map"


def test_the_licences_ship_beside_the_code() -> None:
    assert "MIT" in (VENDOR / "chart.js.LICENSE.md").read_text(encoding="utf-8")
    # Chart.js's UMD build bundles @kurkle/color, whose licence goes with it.
    assert "MIT" in (VENDOR / "kurkle-color.LICENSE.md").read_text(encoding="utf-8")


def test_the_page_files_are_found_by_the_static_finders_for_collectstatic() -> None:
    for name in ("vendor/chart.umd.min.js", "location.js", "icons/rain.svg", "dashboard.css"):
        assert finders.find(f"dashboard/{name}"), name


def test_no_node_modules_folder_is_left_in_the_tree() -> None:
    assert not (ASSETS / "node_modules").exists(), "vendor.sh installs in a scratch folder"
