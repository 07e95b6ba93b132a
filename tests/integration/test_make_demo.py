"""`make demo` as a person without internet meets it: the dashboard of `make run`, fed by the
browser tests' stand-in Open-Meteo (`tests/browser/demo.py`), with Samara tracked and its page
full (current conditions, the charts' series, the daily forecast) in English and French; and a
SIGTERM to `make` alone stops every process it started, the stand-in included.

As `test_make_run.py` does (whose helpers it uses), the real Makefile target runs in the real
checkout on its own ports, database, broker folder and development `.env`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.make_run import (
    MakeRun,
    descendants,
    listening,
    stop_and_check_nothing_is_left,
)
from tests.support.processes import PROJECT_DIR, child_environment, free_port, get_json

CHART_DATA = re.compile(r'<script id="chart-data" type="application/json">(.*?)</script>', re.S)


class MakeDemo(MakeRun):
    stub_port: int

    def page(self, path: str, language: str) -> str:
        request = urllib.request.Request(
            self.base_url + path, headers={"Accept-Language": language}
        )
        with urllib.request.urlopen(request, timeout=15) as response:
            assert response.status == 200
            return str(response.read().decode())

    def wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.get("/health/ready") != 200:
            assert time.monotonic() < deadline, f"never ready:\n{self.log.read_text()}"
            time.sleep(0.25)


@pytest.fixture
def make_demo(tmp_path: Path) -> Iterator[MakeDemo]:
    port, stub_port = free_port(), free_port()
    dotenv = tmp_path / "dev.env"
    env = child_environment(
        tmp_path,  # DATABASE_URL: a SQLite file here, not var/demo's
        DJANGO_ENV_FILE=str(dotenv),
        CELERY_EMBEDDED_BROKER_DIR=str(tmp_path / "broker"),
        DEMO_STUB_PORT=str(stub_port),
        LOG_LEVEL="INFO",
    )
    del env["DJANGO_SECRET_KEY"]  # the development .env provides one, as after `make install`
    log = tmp_path / "make-demo.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "demo", f"PORT={port}", f"DOTENV={dotenv}"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
    demo = MakeDemo(process, port, log, env)
    demo.stub_port = stub_port
    try:
        yield demo
    finally:
        for pid in descendants(process.pid) | {process.pid}:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)


def chart_data(html: str) -> Any:
    found = CHART_DATA.search(html)
    assert found, "no chart data on the page"
    return json.loads(found.group(1))


def test_make_demo_shows_samara_with_data_offline_then_sigterm_stops_all(
    make_demo: MakeDemo,
) -> None:
    make_demo.wait_until_serving(timeout=60)
    make_demo.wait_until_ready()

    status, listing = get_json(f"{make_demo.base_url}/api/v1/locations/")
    assert status == 200, listing
    samara = [place for place in listing["results"] if place["name"] == "Samara"]
    assert len(samara) == 1, listing
    path = f"/locations/{samara[0]['id']}/"
    assert f"open {make_demo.base_url}/ and {make_demo.base_url}{path}" in make_demo.log.read_text()
    assert "Samara" in make_demo.page("/?search=Sam", "en")

    english = make_demo.page(path, "en")
    assert 'data-testid="current"' in english
    assert 'data-testid="no-reading"' not in english
    assert 'data-testid="daily-forecast"' in english
    assert 'data-testid="no-forecast"' not in english
    charts = chart_data(english)
    assert len(charts["hourly"]) >= 24, charts
    assert len(charts["history"]) == 7, charts  # the 7 backfilled days
    french = make_demo.page(path, "fr")
    assert '<html lang="fr"' in french
    assert "Maintenant" in french  # "Now", over the current conditions
    assert 'data-testid="daily-forecast"' in french

    stop_and_check_nothing_is_left(
        make_demo, lambda: os.kill(make_demo.process.pid, signal.SIGTERM)
    )
    assert not listening(make_demo.stub_port), "the stand-in Open-Meteo still listens"
