"""The API's caching headers, held to a real shared cache: Debian's nginx, with `proxy_cache` and
nothing but the upstream's `Cache-Control` and `Vary` to go by (no `proxy_cache_valid`), in
front of the project served by gunicorn as the image serves it (docs/decisions/0023).

Which answers reached Django is read from the server's own access lines (`django.server`, one per
request, with its request id): each request here sends an `X-Request-ID` of its own, so a read
the proxy answered is one whose id the server never logged (and whose echoed id is the first
reader's, stored with the answer).

One server, one nginx and one provider stub for the module; each test reads URLs of its own, so
that none depends on what another left in the cache. Without nginx (`apt-get install
nginx-light`) the module is skipped, except with CI=true, where it fails.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest

from tests.conftest import in_ci
from tests.support.deployment import Deployment
from tests.support.processes import PROJECT_DIR, free_port
from tests.support.provider_stubs import ProviderStubs, stub_server

NGINX_CONFIG = """
daemon off;
master_process off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    proxy_cache_path {folder}/cache levels=1:2 keys_zone=api:1m inactive=10m;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass {upstream};
            proxy_set_header Host $http_host;
            proxy_cache api;
            # The URI the client asked for, host included: pages link to the next with it.
            proxy_cache_key $scheme$http_host$request_uri;
            proxy_cache_revalidate on;
            add_header X-Cache-Status $upstream_cache_status always;
        }}
    }}
}}
"""


def _nginx() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        message = "nginx is not installed (apt-get install nginx-light)"
        if in_ci():
            pytest.fail(f"{message}: CI must run the caching proxy test")
        pytest.skip(message)
    return found


@attrs.frozen
class Answer:
    status: int
    headers: dict[str, str]
    body: Any

    @property
    def cache_status(self) -> str:
        return self.headers.get("x-cache-status", "")


@attrs.frozen
class Stack:
    proxy: str
    deployment: Deployment
    location_id: str
    token: str

    def get(self, path: str, *, token: str | None = None, **headers: str) -> tuple[str, Answer]:
        """GET through the proxy with a request id of its own; returns (id, answer)."""
        request_id = f"proxy-test-{uuid.uuid4().hex}"
        sent = {"X-Request-ID": request_id, **{k.replace("_", "-"): v for k, v in headers.items()}}
        if token is not None:
            sent["Authorization"] = f"Token {token}"
        request = urllib.request.Request(self.proxy + path, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw, received = response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            status, raw, received = error.code, error.read(), error.headers
        lowered = {name.lower(): value for name, value in received.items()}
        return request_id, Answer(status, lowered, orjson.loads(raw) if raw else None)

    def reached_the_server(self, request_id: str) -> bool:
        return request_id in self.deployment.web_log()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    nginx = _nginx()
    folder = tmp_path_factory.mktemp("caching-proxy")
    with stub_server() as http_server:
        providers = ProviderStubs(http_server)
        deployment = Deployment(folder, LOG_LEVEL="INFO", **providers.environment())
        seeding = _migrate_and_seed(deployment)  # while the server starts
        with deployment.web() as upstream:
            seeded = _seeded(seeding)
            proxy_dir = folder / "nginx"
            proxy_dir.mkdir()
            port = free_port()
            config = proxy_dir / "nginx.conf"
            config.write_text(NGINX_CONFIG.format(folder=proxy_dir, port=port, upstream=upstream))
            with (proxy_dir / "stderr.log").open("w") as output:
                process = subprocess.Popen(
                    [nginx, "-p", str(proxy_dir), "-c", str(config), "-e", "stderr"],
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
                try:
                    proxy = f"http://127.0.0.1:{port}"
                    _wait_until_serving(process, proxy + "/health/live", proxy_dir)
                    yield Stack(
                        proxy=proxy,
                        deployment=deployment,
                        location_id=seeded["location_ids"][0],
                        token=seeded["tokens"]["alice"],
                    )
                finally:
                    process.terminate()
                    process.wait(timeout=10)


#: One process for both (a Django start-up saved): the schema, then one location refreshed from
#: the stub and a user with a token, through the fault tests' driver.
_MIGRATE_AND_SEED = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from tests.support.fault_driver import seed
print(json.dumps(seed({"locations": 1, "refresh": True, "users": [["alice", "pw", False]]})))
"""


def _migrate_and_seed(deployment: Deployment) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _MIGRATE_AND_SEED],
        cwd=PROJECT_DIR,
        env=deployment.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _seeded(seeding: subprocess.Popen[str]) -> Any:
    output, errors = seeding.communicate(timeout=180)
    assert seeding.returncode == 0, errors
    return orjson.loads(output.strip().splitlines()[-1])


def _wait_until_serving(process: subprocess.Popen[bytes], url: str, folder: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"nginx exited:\n{(folder / 'stderr.log').read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nginx did not answer {url}")


def test_a_second_read_is_served_by_the_proxy_without_reaching_django(stack: Stack) -> None:
    path = f"/api/v1/locations/{stack.location_id}/weather/current/"

    first_id, first = stack.get(path)
    second_id, second = stack.get(path)

    assert first.status == 200
    assert first.headers["cache-control"].startswith("public, max-age=")
    assert (first.cache_status, second.cache_status) == ("MISS", "HIT")
    assert second.body == first.body
    assert stack.reached_the_server(first_id)
    assert not stack.reached_the_server(second_id)
    assert second.headers["x-request-id"] == first_id  # stored with the answer


def test_every_public_read_is_absorbed_by_the_proxy(stack: Stack) -> None:
    base = f"/api/v1/locations/{stack.location_id}"
    paths = [
        "/api/v1/locations/?page_size=5",
        f"{base}/",
        f"{base}/weather/forecast/",
        f"{base}/weather/forecast/daily/",
        f"{base}/weather/history/",
        f"{base}/weather/daily/",
    ]

    for path in paths:
        _, first = stack.get(path)
        second_id, second = stack.get(path)
        assert first.status == 200, (path, first.body)
        assert second.cache_status == "HIT", path
        assert not stack.reached_the_server(second_id), path


def test_languages_are_kept_apart(stack: Stack) -> None:
    path = f"/api/v1/locations/{stack.location_id}/weather/current/?units=imperial"

    _, french = stack.get(path, Accept_Language="fr")
    _, english = stack.get(path, Accept_Language="en")
    french_again_id, french_again = stack.get(path, Accept_Language="fr")
    english_again_id, english_again = stack.get(path, Accept_Language="en")

    assert (french.cache_status, english.cache_status) == ("MISS", "MISS")
    assert french.body["condition_label"] != english.body["condition_label"]
    assert (french_again.cache_status, english_again.cache_status) == ("HIT", "HIT")
    assert french_again.body == french.body
    assert french_again.headers["content-language"] == "fr"
    assert english_again.body == english.body
    assert english_again.headers["content-language"] == "en"
    assert not stack.reached_the_server(french_again_id)
    assert not stack.reached_the_server(english_again_id)


def test_a_private_answer_is_never_served_from_the_proxy(stack: Stack) -> None:
    answers = [stack.get("/api/v1/alert-rules/", token=stack.token) for _ in range(2)]

    for request_id, answer in answers:
        assert answer.status == 200
        assert answer.headers["cache-control"] == "no-store"
        assert answer.cache_status != "HIT"
        assert stack.reached_the_server(request_id)


def test_a_caller_with_credentials_is_not_served_the_public_copy(stack: Stack) -> None:
    path = f"/api/v1/locations/{stack.location_id}/weather/forecast/?hours=3"
    stack.get(path)  # the public copy, now stored

    with_token = [stack.get(path, token=stack.token) for _ in range(2)]
    public_id, public = stack.get(path)

    for request_id, answer in with_token:
        assert answer.headers["cache-control"].startswith("private, max-age=")
        assert answer.cache_status != "HIT"
        assert stack.reached_the_server(request_id)
    assert public.cache_status == "HIT"  # the private answers replaced nothing
    assert not stack.reached_the_server(public_id)


def test_errors_are_not_stored(stack: Stack) -> None:
    path = f"/api/v1/locations/{uuid.uuid4()}/"

    answers = [stack.get(path) for _ in range(2)]

    for request_id, answer in answers:
        assert answer.status == 404
        assert answer.headers["cache-control"] == "no-store"
        assert stack.reached_the_server(request_id)
