"""Real processes for tests: a gunicorn server or a management command with its own environment.

The environment a child gets is built from scratch (plus PATH and HOME) so that a developer's own
``DJANGO_*`` or ``DATABASE_URL`` variables never leak into a test, and each test states exactly the
configuration it is about.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[2]
BIN_DIR = Path(sys.executable).parent


def child_environment(tmp_path: Path, **variables: str) -> dict[str, str]:
    """A minimal production-like environment: a secret key, a private SQLite file, no debug."""
    env = {
        "PATH": f"{BIN_DIR}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DJANGO_SETTINGS_MODULE": "server_config.settings",
        "DJANGO_ENV_FILE": "",  # never the checkout's development .env
        "DJANGO_SECRET_KEY": "test-only-secret-key-not-for-any-deployment-0123456789",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    env.update(variables)
    return env


def run_manage(
    env: Mapping[str, str], *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_static_collected = False


def collect_static_files(env: Mapping[str, str]) -> None:
    """`collectstatic` once per test process, as a deployment does before starting gunicorn (whose
    master refuses to start without the files: gunicorn.conf.py).

    Under pytest-xdist several test processes share the checkout's STATIC_ROOT: two collectstatic
    runs writing the same files at once collide, so each holds an exclusive lock on a file beside
    it while it runs (the second one then finds every file up to date and copies nothing)."""
    global _static_collected
    if not _static_collected:
        with open(PROJECT_DIR / ".collectstatic.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            done = run_manage(env, "collectstatic", "--noinput", timeout=120)
        assert done.returncode == 0, done.stderr
        _static_collected = True


@contextlib.contextmanager
def gunicorn_server(
    env: Mapping[str, str],
    *,
    timeout: float = 30,
    log_file: Path | None = None,
    workers: int = 1,
) -> Iterator[str]:
    """Serve the project with gunicorn and its uvicorn workers on a free loopback port, as the
    Docker image does (`workers` of them); yields the base URL.

    Its output goes to `log_file` (a temporary file when not given), never to an unread pipe
    that could fill up and stall the server.
    """
    with gunicorn_process(env, timeout=timeout, log_file=log_file, workers=workers) as (url, _):
        yield url


@contextlib.contextmanager
def gunicorn_process(
    env: Mapping[str, str],
    *,
    timeout: float = 30,
    log_file: Path | None = None,
    workers: int = 1,
    stop_seconds: float = 10,
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`gunicorn_server`, yielding its master process too (for tests that read its workers or
    stop it themselves); stopped afterwards unless it already has, killed after `stop_seconds`."""
    collect_static_files(env)
    port = free_port()
    with contextlib.ExitStack() as stack:
        if log_file is None:
            log_file = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "server.log"
        output = stack.enter_context(log_file.open("w"))
        process = subprocess.Popen(
            [
                str(BIN_DIR / "gunicorn"),
                "server_config.asgi",  # as the image serves it (gunicorn.conf.py's workers)
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "30",
            ],
            cwd=PROJECT_DIR,
            env=dict(env),
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_serving(process, f"{base_url}/health/live", timeout, log_file)
            yield base_url, process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=stop_seconds)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _wait_until_serving(
    process: subprocess.Popen[str], url: str, timeout: float, log_file: Path
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log_file.read_text()
            raise RuntimeError(f"server exited with {process.returncode}:\n{output}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1):
            return
        time.sleep(0.1)
    raise TimeoutError(f"server did not answer {url} within {timeout} s")


def get_json(url: str, timeout: float = 15) -> tuple[int, dict[str, Any]]:
    """GET a JSON document, returning (status, body) for error statuses too."""
    import json

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@contextlib.contextmanager
def silent_listener() -> Iterator[int]:
    """A TCP port that accepts connections and then never says a word: a hung server.

    Connecting succeeds (the kernel completes the handshake from the listen backlog), so only a
    client's read timeout can get it out; the port is on loopback, so the test touches nothing else.
    """
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield int(server.getsockname()[1])
