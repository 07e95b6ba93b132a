"""A throw-away PostgreSQL database for a benchmark, with Django set up on it and migrated.

The server is the one BENCH_POSTGRES_URL names (default: the local PostgreSQL, as on the
development machines and CI); the database is created fresh and dropped afterwards.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

DEFAULT_SERVER_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def _admin(server_url: str, statement: sql.Composable) -> None:
    connection = psycopg2.connect(server_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


@contextlib.contextmanager
def django_on_scratch_postgres(name: str) -> Iterator[str]:
    """Create database `name`, point Django at it, migrate; drop it on the way out."""
    server_url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER_URL)
    identifier = sql.Identifier(name)
    _admin(server_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
    _admin(server_url, sql.SQL("CREATE DATABASE {}").format(identifier))
    database_url = urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="server_config.settings",
        DJANGO_SECRET_KEY="benchmark-only-secret-key-0123456789-abcdefghijklmnop",  # noqa: S106
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
    )
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    call_command("migrate", verbosity=0)
    try:
        yield database_url
    finally:
        connections.close_all()
        _admin(server_url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(identifier))
