"""A real client proves the schema: TypeScript types generated from the live `/api/v1/schema/` by
openapi-typescript (a generator no one here wrote), type-checked with `tsc --strict`, and a script
written with openapi-fetch (`tests/typescript/src/client.mts`) run by Node against a live server:
the list with `include=current`, an hourly forecast, a location registered and deleted with a
token, and a problem+json on a bad request, each read through the generated types.

The packages are installed from `tests/typescript/package-lock.json` with `npm ci` into
`tests/typescript/node_modules` (git-ignored), again only when the lock file changes, so a run
after the first needs no registry; npm's download cache is the run's temporary folder, never the
user's. An exclusive lock on the lock file keeps two test runs from installing at once, or one
from installing under the other's feet. The generated types and the compiled script go to a
temporary folder. Without Node (20 or later) and npm the test is skipped, saying so; in CI
(`CI=true`) it fails instead, since CI must prove the schema.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import attrs
import pytest

from adapters.rest.problems import VALIDATION_ERROR
from tests.conftest import in_ci
from tests.support.node import MINIMUM_NODE, run_node_tool
from tests.support.processes import PROJECT_DIR, child_environment, gunicorn_server, run_manage

PACKAGE_DIR = PROJECT_DIR / "tests" / "typescript"
NODE_MODULES = PACKAGE_DIR / "node_modules"
LOCK_FILE = PACKAGE_DIR / "package-lock.json"
#: Written into node_modules after `npm ci`: the digest of the manifest and lock it installed.
INSTALLED_STAMP = NODE_MODULES / ".installed-from-lock"
#: Run by `manage.py shell` in the server's environment before the server starts: a user with a
#: token, and two locations stored through the container's unit of work, one with the current
#: weather and forecasts of a refresh (the fake provider's, stamped now). Prints what it made.
SEED = """
import json
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from domain.locations import Coordinates, Location
from server_config.container import container
from tests.support.fakes.clock import FakeClock
from tests.support.fakes.providers import FakeWeatherProvider

user = get_user_model()._default_manager.create_user("typescript")
clock = FakeClock(datetime.now(UTC))
samara = Location.register(
    name="Samara", coordinates=Coordinates(53.2, 50.15), timezone="Europe/Samara", now=clock.now()
)
oslo = Location.register(
    name="Oslo", coordinates=Coordinates(59.91, 10.75), timezone="Europe/Oslo", now=clock.now()
)
(report,) = FakeWeatherProvider(clock).fetch([samara])
with container.unit_of_work() as uow:
    uow.locations.add(samara)
    uow.locations.add(oslo)
    uow.observations.add_many([report.current])
    uow.forecasts.save_many(hourly=[report.hourly], daily=[report.daily])
    uow.commit()
print(json.dumps({
    "token": Token.objects.create(user=user).key,
    "samara": str(samara.id),
    "oslo": str(oslo.id),
}))
"""


@attrs.frozen
class NodeTools:
    node: str
    npm: str


def _unavailable(message: str) -> NoReturn:
    if in_ci():
        pytest.fail(f"{message}: CI must run the TypeScript client test")
    pytest.skip(message)


def _lock_digest() -> str:
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((PACKAGE_DIR / name).read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def node_tools() -> NodeTools:
    """Node.js and npm from the PATH; without them the test is skipped (it fails in CI)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        _unavailable(
            f"Node.js {MINIMUM_NODE}+ and npm are not installed: the TypeScript client test "
            "(openapi-typescript, tsc, openapi-fetch) cannot run"
        )
    version = run_node_tool([node, "--version"], timeout=30).strip()
    if int(version.lstrip("v").split(".")[0]) < MINIMUM_NODE:
        _unavailable(f"Node.js {version} is older than {MINIMUM_NODE}: the TypeScript client test")
    return NodeTools(node=node, npm=npm)


@pytest.fixture(scope="module")
def node_packages(
    node_tools: NodeTools, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """`tests/typescript/node_modules` as the lock file pins it, installed by `npm ci` when it is
    not; held (shared lock) while the test uses it. npm's download cache is a temporary folder
    of this run, so the test neither needs nor writes the user's `~/.npm`; once installed, the
    packages are used as they are, with no registry at all."""
    with LOCK_FILE.open("rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        digest = _lock_digest()
        stamp = INSTALLED_STAMP.read_text() if INSTALLED_STAMP.exists() else ""
        if stamp != digest:
            cache = tmp_path_factory.mktemp("npm-cache")
            run_node_tool(
                [
                    node_tools.npm,
                    "ci",
                    "--no-audit",
                    "--no-fund",
                    "--ignore-scripts",
                    "--cache",
                    cache,
                ],
                cwd=PACKAGE_DIR,
                env={**os.environ, "npm_config_update_notifier": "false"},
                timeout=600,
            )
            INSTALLED_STAMP.write_text(digest)
        fcntl.flock(lock, fcntl.LOCK_SH)
        yield NODE_MODULES


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A live server on its own database, seeded; its base URL and what the seed made."""
    env = child_environment(tmp_path)
    migrated = run_manage(env, "migrate", "--noinput", timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    seeded = run_manage(env, "shell", "--no-imports", "--command", SEED, timeout=120)
    assert seeded.returncode == 0, seeded.stderr
    made: dict[str, str] = json.loads(seeded.stdout.strip().splitlines()[-1])
    with gunicorn_server(env) as base_url:
        yield base_url, made


def _json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=15) as response:
        return json.loads(response.read())


def _build_folder(tmp_path: Path, node_packages: Path) -> Path:
    """A folder for the generated types and the compiled script: it resolves packages from
    `tests/typescript/node_modules`, and its tsconfig extends the package's."""
    build = tmp_path / "typescript"
    build.mkdir()
    (build / "node_modules").symlink_to(node_packages, target_is_directory=True)
    (build / "tsconfig.json").write_text(
        json.dumps(
            {
                "extends": str(PACKAGE_DIR / "tsconfig.json"),
                "compilerOptions": {
                    "paths": {"f-brain-api": ["./schema.d.ts"]},
                    "outDir": "./out",
                },
                "files": [str(PACKAGE_DIR / "src" / "client.mts"), "./schema.d.ts"],
            }
        )
    )
    return build


def test_a_client_generated_from_the_schema_type_checks_and_works_against_the_server(
    node_tools: NodeTools, node_packages: Path, server: tuple[str, dict[str, str]], tmp_path: Path
) -> None:
    base_url, made = server
    build = _build_folder(tmp_path, node_packages)
    generator = node_packages / "openapi-typescript" / "bin" / "cli.js"
    run_node_tool(
        [node_tools.node, generator, f"{base_url}/api/v1/schema/", "-o", build / "schema.d.ts"],
        timeout=120,
    )
    tsc = node_packages / "typescript" / "bin" / "tsc"
    run_node_tool([node_tools.node, tsc, "-p", build, "--strict"], timeout=300)
    output = run_node_tool(
        [node_tools.node, build / "out" / "client.mjs"],
        timeout=120,
        cwd=build,
        env={
            "PATH": os.environ.get("PATH", ""),
            "API_BASE_URL": base_url,
            "API_TOKEN": made["token"],
            "API_LOCATION_ID": made["samara"],
        },
    )
    report = json.loads(output)

    listed = report["listed"]
    current = _json(f"{base_url}/api/v1/locations/{made['samara']}/weather/current/?units=imperial")
    assert listed["names"] == ["Oslo", "Samara"]
    assert listed["current"] == current
    assert listed["temperature_unit"] == "°F"
    assert listed["without_current"] == [made["oslo"]]

    forecast = report["forecast"]
    assert forecast["units"]["temperature"] == "°F"
    assert len(forecast["hours"]) == 6

    created = report["created"]
    assert created["status"] == 201
    assert created["location"]["name"] == "Typed Town"
    assert created["url"] == f"{base_url}/api/v1/locations/{created['location']['id']}/"
    assert report["deleted"] == {"status": 204, "then": 404}

    problem = report["problem"]
    assert problem["content_type"] == "application/problem+json"
    assert problem["status"] == 400
    assert problem["type"] == VALIDATION_ERROR
    assert list(problem["errors"]) == ["latitude"]
