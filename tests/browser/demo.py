"""``make demo``: ``make run`` against the browser tests' stand-in Open-Meteo, offline.

``python -m tests.browser.demo`` (``make demo`` runs it with ``make run``'s environment). It starts
`WeatherStub` on 127.0.0.1:``DEMO_STUB_PORT`` (8765 unless set) and points this process's
environment at it, so every command and process started from here asks the stub and nothing else;
then, through the project's own commands as a person would type them: ``migrate``, ``add_location
Samara --pick 1`` (the stub's geocoder answers its Samara recording, whatever is asked; a Samara
already tracked is kept), ``backfill_history`` of the 7 local days before today and
``refresh_weather --sync``. It prints where to look and supervises web + worker + beat exactly as
``make run`` does (`server_config.supervisor.supervise`), so Ctrl-C or a SIGTERM to ``make``
stops every process; the stub stops last.

The demo has a database, a broker folder and a metrics folder of its own under ``var/demo/``
(``DATABASE_URL``, ``CELERY_EMBEDDED_BROKER_DIR`` and ``PROMETHEUS_MULTIPROC_DIR`` from the
environment win), so the stub's weather never lands among the real readings of the checkout's
database, and beat's refresh of every location there is never answered with Samara's weather.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from types import FrameType

from pytest_httpserver import HTTPServer

from server_config.supervisor import DEFAULT_PROCFILE, supervise
from tests.browser.weather_stub import ZONE, WeatherStub

PROJECT_DIR = DEFAULT_PROCFILE.parent
STUB_HOST = "127.0.0.1"
DEFAULT_STUB_PORT = 8765
DEMO_DIR = PROJECT_DIR / "var" / "demo"
HISTORY_DAYS = 7
PLACE = "Samara"
LOCATION_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def fail(message: str) -> SystemExit:
    return SystemExit(f"demo: error: {message}")


def manage(*args: str, capture: bool = False) -> subprocess.CompletedProcess[str]:
    """A management command in a process of its own, with this process's environment."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        capture_output=capture,
        text=True,
        check=False,
    )


def checked(*args: str) -> None:
    done = manage(*args)
    if done.returncode != 0:
        raise fail(f"manage.py {' '.join(args)} exited with {done.returncode}")


def track_samara() -> str:
    """The id of the tracked Samara: added from the stub's geocoder, or the one already there
    (`add_location` refuses a second place on the same coordinates, naming the first)."""
    done = manage("add_location", PLACE, "--pick", "1", capture=True)
    print(done.stdout, end="", flush=True)
    added = LOCATION_ID.findall(done.stdout) if done.returncode == 0 else []
    if added:
        return str(added[-1])  # "Added Samara (...) at ...: <id>"
    tracked = LOCATION_ID.search(done.stderr) if "already" in done.stderr else None
    if done.returncode == 2 and tracked:  # "Location <id> (Samara) is already at ..."
        print(f"{PLACE} is already tracked: {tracked.group()}", flush=True)
        return tracked.group()
    print(done.stderr, end="", file=sys.stderr, flush=True)
    raise fail(f"could not track {PLACE} (add_location exited with {done.returncode})")


def prepare() -> str:
    """Migrate, track Samara, fill its last days and refresh; returns its id."""
    checked("migrate", "--noinput")
    location_id = track_samara()
    today = datetime.now(UTC).astimezone(ZONE).date()  # the location's own today
    checked(
        "backfill_history",
        "--location",
        location_id,
        "--start",
        (today - timedelta(days=HISTORY_DAYS)).isoformat(),
        "--end",
        (today - timedelta(days=1)).isoformat(),
    )
    checked("refresh_weather", "--sync")
    return location_id


def _stop(signum: int, frame: FrameType | None) -> None:
    # Before the supervisor takes over signals: unwind, so the running command is killed
    # (`subprocess.run` kills its child on any exception) and the stub stops.
    raise SystemExit(128 + signum)


def main() -> int:
    signal.signal(signal.SIGTERM, _stop)
    try:
        stub_port = int(os.environ.get("DEMO_STUB_PORT") or DEFAULT_STUB_PORT)
    except ValueError:
        raise fail(f"DEMO_STUB_PORT={os.environ['DEMO_STUB_PORT']!r} is not a port") from None
    # The app's own log says what it asked ("Provider call open-meteo ..."): not werkzeug's too.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = HTTPServer(host=STUB_HOST, port=stub_port, threaded=True)
    try:
        server.start()
    except OSError as error:
        raise fail(
            f"the stand-in Open-Meteo cannot listen on {STUB_HOST}:{stub_port} ({error}); "
            "set DEMO_STUB_PORT to a free port"
        ) from None
    try:
        stub = WeatherStub(server)
        os.environ.update(stub.environment())
        if "DATABASE_URL" not in os.environ:
            DEMO_DIR.mkdir(parents=True, exist_ok=True)
            os.environ["DATABASE_URL"] = f"sqlite:///{DEMO_DIR / 'db.sqlite3'}"
        os.environ.setdefault("CELERY_EMBEDDED_BROKER_DIR", str(DEMO_DIR / "broker"))
        # Its own metrics folder too: make run's var/metrics is emptied by whichever starts.
        os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str((DEMO_DIR / "metrics").resolve()))
        location_id = prepare()
        base = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
        print(
            f"demo: Open-Meteo stand-in on {STUB_HOST}:{stub_port}; open {base}/ and "
            f"{base}/locations/{location_id}/ ({PLACE}); Ctrl-C stops everything",
            flush=True,
        )
        return supervise(DEFAULT_PROCFILE)
    finally:
        server.clear()
        if server.is_running():
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
