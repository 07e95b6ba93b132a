"""A private PostgreSQL server for the tests that must stop and start one: never the machine's.

`PostgresCluster.create()` runs `initdb` into a fresh directory under the system's temporary
folder and starts the server on a free loopback port, with its unix socket in a directory of its
own, so nothing it does can reach the shared server on 5432. It trusts every local connection
(`--auth=trust`) and listens on 127.0.0.1 only. Durability is switched off (`fsync`,
`synchronous_commit`, `full_page_writes`): a crash of this server loses a test's data, nothing
more, and the tests run faster for it.

`initdb` and `postgres` refuse to run as root, which tests and CI are: then every server command
runs as the `postgres` system user (`runuser`), in a directory that user owns. As anyone else
they run as the caller.

One cluster per test session is enough (`initdb` takes seconds); a test gets a database of its
own copied from a migrated template (`create_database(name, template=...)`, a file copy).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import psycopg2
from psycopg2.extensions import connection as Connection

from tests.support.processes import free_port

SERVER_USER = "postgres"
"""The system user the server runs as when the tests run as root (and the superuser's name)."""


def binaries_directory() -> Path | None:
    """Where `initdb`, `pg_ctl` and `postgres` are: `PG_BIN`, the newest Debian install, or PATH."""
    candidates: list[Path] = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]))
    candidates.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True))
    found = shutil.which("initdb")
    if found:
        candidates.append(Path(found).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


class PostgresCluster:
    """One private server: its directory, port and socket, and ways to stop and start it."""

    def __init__(self, binaries: Path, root: Path, port: int) -> None:
        self.binaries = binaries
        self.root = root
        self.port = port
        self.data = root / "data"
        self.socket_dir = root / "socket"
        self.log = root / "server.log"

    # --- life cycle ---------------------------------------------------------------------------

    @classmethod
    def create(cls, binaries: Path) -> PostgresCluster:
        root = Path(tempfile.mkdtemp(prefix="f-brain-faults-pg-"))
        cluster = cls(binaries, root, free_port())
        try:
            cluster.socket_dir.mkdir()
            cluster._hand_over(root, cluster.socket_dir)
            cluster._server_command(
                "initdb",
                "--pgdata",
                str(cluster.data),
                "--auth=trust",
                f"--username={SERVER_USER}",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
                timeout=120,
            )
            cluster.start()
        except BaseException:
            cluster.remove()
            raise
        return cluster

    def start(self) -> None:
        options = " ".join(
            (
                "-c listen_addresses=127.0.0.1",
                f"-p {self.port}",
                f"-k {self.socket_dir}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=100",
            )
        )
        self._server_command(
            "pg_ctl",
            "--pgdata",
            str(self.data),
            "--log",
            str(self.log),
            "--wait",
            "--timeout=60",
            "--options",
            options,
            "start",
            timeout=90,
        )

    def stop(self) -> None:
        """A fast shutdown: open connections are cut, as when a database server goes away."""
        self._server_command(
            "pg_ctl", "--pgdata", str(self.data), "--wait", "--mode=fast", "stop", timeout=90
        )

    def is_running(self) -> bool:
        done = subprocess.run(
            self._as_server_user("pg_ctl", "--pgdata", str(self.data), "status"),
            cwd=self.root,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.returncode == 0

    def remove(self) -> None:
        """Stop the server (if it runs) and delete every file of it."""
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.SubprocessError, RuntimeError):
                self._server_command(
                    "pg_ctl",
                    "--pgdata",
                    str(self.data),
                    "--wait",
                    "--mode=immediate",
                    "stop",
                    timeout=60,
                )
        shutil.rmtree(self.root, ignore_errors=True)

    @contextlib.contextmanager
    def stopped(self) -> Iterator[None]:
        """The server is down inside the block and up again after it, whatever happened."""
        self.stop()
        try:
            yield
        finally:
            if not self.is_running():
                self.start()

    # --- databases ----------------------------------------------------------------------------

    def url(self, database: str) -> str:
        return f"postgres://{SERVER_USER}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> Connection:
        connection = psycopg2.connect(
            host="127.0.0.1",
            port=self.port,
            user=SERVER_USER,
            dbname=database,
            connect_timeout=3,
        )
        connection.autocommit = True
        return connection

    def create_database(self, name: str, *, template: str | None = None) -> None:
        statement = f'CREATE DATABASE "{name}"'
        if template is not None:
            statement += f' TEMPLATE "{template}"'
        with contextlib.closing(self.connect()) as connection, connection.cursor() as cursor:
            cursor.execute(statement)

    def drop_database(self, name: str) -> None:
        with contextlib.closing(self.connect()) as connection, connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def query(
        self, database: str, sql: str, parameters: Sequence[object] = ()
    ) -> list[tuple[Any, ...]]:
        """The rows of one statement, on a connection of its own (closed afterwards)."""
        with (
            contextlib.closing(self.connect(database)) as connection,
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, tuple(parameters))
            return list(cursor.fetchall()) if cursor.description is not None else []

    def wait_until_accepting(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.connect().close()
                return
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    # --- running the server's commands --------------------------------------------------------

    def _server_command(self, program: str, *args: str, timeout: float) -> None:
        done = subprocess.run(
            self._as_server_user(program, *args),
            cwd=self.root,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{program} {' '.join(args)} failed ({done.returncode}):\n"
                f"{done.stdout}{done.stderr}\n{log}"
            )

    def _as_server_user(self, program: str, *args: str) -> list[str]:
        """The command line of a server program, run as the `postgres` user when we are root."""
        command = [str(self.binaries / program), *args]
        if os.geteuid() == 0:
            return ["runuser", "-u", SERVER_USER, "--", *command]
        return command

    def _hand_over(self, *paths: Path) -> None:
        if os.geteuid() != 0:
            return
        account = pwd.getpwnam(SERVER_USER)
        for path in paths:
            os.chown(path, account.pw_uid, account.pw_gid)


#: The tables a fault test counts before and after (what a refresh, a write or a login stores).
COUNTED_TABLES = {
    "locations": "weather_location",
    "observations": "weather_observation",
    "forecasts": "weather_forecast",
    "alert_rules": "weather_alert_rule",
    "alerts": "weather_alert",
    "users": "auth_user",
    "tokens": "authtoken_token",
    "task_results": "django_celery_results_taskresult",
}


class Database:
    """One test's database on the private cluster, read straight from its tables."""

    def __init__(self, cluster: PostgresCluster, name: str) -> None:
        self.cluster = cluster
        self.name = name

    @property
    def url(self) -> str:
        return self.cluster.url(self.name)

    def query(self, sql: str, *parameters: object) -> list[tuple[Any, ...]]:
        return self.cluster.query(self.name, sql, parameters)

    def counts(self) -> dict[str, int]:
        """The number of rows of every counted table, by short name."""
        selects = " UNION ALL ".join(
            f"SELECT '{name}', count(*) FROM {table}"  # noqa: S608 - constant names, no input
            for name, table in COUNTED_TABLES.items()
        )
        return {name: int(count) for name, count in self.query(selects)}

    def observation_keys(self) -> list[tuple[str, str, str]]:
        """Every stored reading's key, (location, observed_at, provider), in order."""
        rows = self.query(
            "SELECT location_id::text, observed_at::text, provider FROM weather_observation "
            "ORDER BY 1, 2, 3"
        )
        return [(str(a), str(b), str(c)) for a, b, c in rows]

    def forecasts(self) -> list[tuple[str, str, str, str, int]]:
        """(location, kind, provider, fetched_at, number of points) of every stored forecast."""
        rows = self.query(
            "SELECT location_id::text, kind, provider, fetched_at::text, "
            "jsonb_array_length(points->'rows') "  # points: {"columns": [...], "rows": [...]}
            "FROM weather_forecast ORDER BY 1, 2"
        )
        return [(str(a), str(b), str(c), str(d), int(e)) for a, b, c, d, e in rows]

    def task_result(self, task_id: str) -> tuple[str, str | None, str | None] | None:
        """(status, result, traceback) as django-celery-results stored them, or None."""
        rows = self.query(
            "SELECT status, result, traceback FROM django_celery_results_taskresult "
            "WHERE task_id = %s",
            task_id,
        )
        return (str(rows[0][0]), rows[0][1], rows[0][2]) if rows else None

    def wait_for_task(
        self, task_id: str, timeout: float = 60, *, ended: Sequence[str] = ("SUCCESS", "FAILURE")
    ) -> tuple[str, str | None, str | None]:
        """The task's stored state once it is one of `ended`; fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            stored = self.task_result(task_id)
            if stored is not None and stored[0] in ended:
                return stored
            if time.monotonic() > deadline:
                raise AssertionError(f"task {task_id} is {stored} after {timeout} s")
            time.sleep(0.2)
