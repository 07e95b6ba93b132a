"""One fault test's deployment: gunicorn, Celery workers and beat, each a real process with a log
file, all on the test's own database and queue, and a plain HTTP client for its API.

Every process is started in a session of its own, so that killing one (SIGKILL, as the kernel's
OOM killer or a lost machine would) takes its pool children with it and nothing else; only
processes started here are ever signalled, by their own process group. Logs go to files under the
test's temporary folder (never to a pipe nobody reads, which could fill and stall a process), and
`Service.log()` returns what a process has written so far, for waiting and for assertion
messages.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from tests.support.processes import BIN_DIR, PROJECT_DIR, child_environment, gunicorn_server

WORKER_FLAGS = ("--without-heartbeat", "--without-gossip", "--without-mingle")

#: Small numbers, so that every retry takes about a second, not minutes.
FAST_RETRIES = {
    "WEATHER_HTTP_TIMEOUT_SECONDS": "0.5",
    "WEATHER_TASK_MAX_RETRIES": "1",
    "WEATHER_TASK_RETRY_BACKOFF_SECONDS": "1",
}


class Service:
    """A background process of the deployment, with its log file."""

    def __init__(self, name: str, args: list[str], env: Mapping[str, str], log_file: Path) -> None:
        self.name = name
        self.log_file = log_file
        self._stopped = False
        self._output = log_file.open("w")
        self.process = subprocess.Popen(
            args,
            cwd=PROJECT_DIR,
            env=dict(env),
            stdout=self._output,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def log(self) -> str:
        return self.log_file.read_text(errors="replace") if self.log_file.exists() else ""

    def wait_for_log(self, text: str, timeout: float = 60, *, after: int = 0) -> int:
        """Waits until `text` appears in the log past offset `after`; returns the log's length."""
        deadline = time.monotonic() + timeout
        while True:
            log = self.log()
            if text in log[after:]:
                return len(log)
            if not self.running:
                raise AssertionError(f"{self.name} exited ({self.process.returncode}):\n{log}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} never logged {text!r}:\n{log[-6000:]}")
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL to the process and its children: no warm shutdown, no acknowledgement."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)

    def stop(self, timeout: float = 15) -> None:
        if self._stopped:
            return
        self._stopped = True
        if self.running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout)
        with contextlib.suppress(ProcessLookupError):  # pool children left behind, if any
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self._output.close()


class Deployment:
    """The environment of one test's processes (`env`, changed freely before they start)."""

    def __init__(self, folder: Path, **variables: str) -> None:
        self.folder = folder
        self.env = child_environment(
            folder,
            # Never the checkout's var/broker: processes without a broker URL share only this.
            CELERY_EMBEDDED_BROKER_DIR=str(folder / "broker"),
            **variables,
        )
        self.services: list[Service] = []

    def driver(self, action: str, *args: str, timeout: float = 90) -> Any:
        """Runs `tests.support.fault_driver` in this environment; its JSON answer."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.support.fault_driver", action, *args],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, f"driver {action} failed:\n{done.stderr}"
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start_worker(self, *options: str, **variables: str) -> Service:
        """A Celery worker (prefork, one process unless `options` say otherwise), once ready."""
        name = f"worker-{len(self.services) + 1}"
        worker = self._start(
            name,
            [
                str(BIN_DIR / "celery"),
                "-A",
                "server_config.celery",
                "worker",
                "--hostname",
                f"{name}-{uuid.uuid4().hex[:8]}@%h",
                *(options or ("--pool=prefork", "--concurrency=1")),
                *WORKER_FLAGS,
            ],
            {"LOG_LEVEL": "INFO", **variables},  # INFO: the worker's "ready" line, its task events
        )
        worker.wait_for_log(" ready.", timeout=60)
        return worker

    def start_beat(self, **variables: str) -> Service:
        return self._start(
            "beat",
            [
                str(BIN_DIR / "celery"),
                "-A",
                "server_config.celery",
                "beat",
                "--pidfile",
                str(self.folder / "beat.pid"),
                "--schedule",
                str(self.folder / "beat-schedule"),
            ],
            {"LOG_LEVEL": "INFO", **variables},  # INFO: beat's "Sending due task" lines
        )

    @contextlib.contextmanager
    def web(self, **variables: str) -> Iterator[str]:
        """gunicorn serving the project; yields its base URL."""
        env = {**self.env, **variables}
        with gunicorn_server(env, log_file=self.folder / "web.log") as base_url:
            yield base_url

    def web_log(self) -> str:
        log = self.folder / "web.log"
        return log.read_text(errors="replace") if log.exists() else ""

    def logs(self) -> str:
        """Every process's log so far, for an assertion message."""
        parts = [f"--- {service.name}\n{service.log()[-4000:]}" for service in self.services]
        parts.append(f"--- web\n{self.web_log()[-4000:]}")
        return "\n".join(parts)

    def stop(self) -> None:
        for service in self.services:
            service.stop()

    def _start(self, name: str, args: list[str], variables: Mapping[str, str]) -> Service:
        service = Service(name, args, {**self.env, **variables}, self.folder / f"{name}.log")
        self.services.append(service)
        return service


@attrs.frozen
class Answer:
    """One HTTP exchange: status, headers (lower-case names), decoded body and wall time."""

    status: int
    headers: Mapping[str, str]
    body: Any
    seconds: float

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def call(
    method: str,
    url: str,
    *,
    json_body: object = None,
    token: str | None = None,
    timeout: float = 30,
) -> Answer:
    """One request, returning error statuses as answers too (never raising for them)."""
    headers = {"Accept": "application/json"}
    data = None
    if json_body is not None:
        data = json.dumps(json_body).encode()
        headers["Content-Type"] = "application/json"
    if token is not None:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw, response_headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, raw, response_headers = error.code, error.read(), error.headers
    seconds = time.monotonic() - started
    try:
        body: Any = json.loads(raw) if raw else None
    except ValueError:
        body = raw.decode(errors="replace")
    lowered = {name.lower(): value for name, value in response_headers.items()}
    return Answer(status=status, headers=lowered, body=body, seconds=seconds)
