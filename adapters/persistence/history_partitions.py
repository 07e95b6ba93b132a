"""Monthly partitions of ``weather_observation`` on PostgreSQL (docs/decisions/0022).

The table is declaratively partitioned by RANGE on ``observed_at``, one partition per UTC
calendar month (``weather_observation_y2025m01`` holds ``[2025-01-01, 2025-02-01)``), plus a
DEFAULT partition (``weather_observation_default``) so that an insert never fails for want of a
partition: a backfill of years past, or a refresh after the beat task stopped for months, lands
there. `ensure_partitions` (the daily ``weather.prepare_history`` task) creates the months ahead
and moves whatever reached the DEFAULT partition into a month of its own, so the DEFAULT
partition stays empty in steady state and retention can drop history month by month.

In the database the primary key is ``(id, observed_at)`` (PostgreSQL requires the partition key
in every unique constraint); Django's model keeps ``id`` as its primary key, which stays unique
since every id comes from the one identity sequence. SQLite keeps one plain table: everything
here is a no-op there.

The migration ``0008_partition_observations`` uses `rebuild`, so what it relies on here must stay
compatible with the tables it made.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

TABLE = "weather_observation"
DEFAULT_PARTITION = f"{TABLE}_default"
#: Months created ahead of the current one: three runs of the daily task may fail in a row, for
#: three months, before a reading lands in the DEFAULT partition.
MONTHS_AHEAD = 3
#: How long partition DDL waits for its lock on the table: DDL waiting in the lock queue would
#: block every read and write queued behind it. A run that gives up retries the next day.
LOCK_TIMEOUT = "5s"

_BOUNDS = re.compile(r"FROM \('(?P<lower>[^']+)'\) TO \('(?P<upper>[^']+)'\)")

# Every statement below is built from this module's constants and month names it computes:
# nothing in them comes from input.


@dataclass(frozen=True, order=True)
class Month:
    """A UTC calendar month: the span of one partition."""

    year: int
    month: int

    @classmethod
    def of(cls, instant: datetime | date) -> Month:
        if isinstance(instant, datetime):
            instant = instant.astimezone(UTC)
        return cls(instant.year, instant.month)

    def plus(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    @property
    def start(self) -> datetime:
        return datetime(self.year, self.month, 1, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return self.plus(1).start

    @property
    def name(self) -> str:
        return f"{TABLE}_y{self.year:04d}m{self.month:02d}"


@dataclass(frozen=True)
class Partition:
    name: str
    #: None for the DEFAULT partition.
    start: datetime | None
    end: datetime | None

    @property
    def is_default(self) -> bool:
        return self.start is None


def months_between(first: Month, last: Month) -> Iterator[Month]:
    month = first
    while month <= last:
        yield month
        month = month.plus(1)


def is_partitioned(connection: BaseDatabaseWrapper) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return row is not None and row[0] == "p"


def partitions(connection: BaseDatabaseWrapper, parent: str = TABLE) -> list[Partition]:
    """The partitions of `parent`, months in order, the DEFAULT one last."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass(%s)",
            [parent],
        )
        rows = cursor.fetchall()
    found = []
    for name, bound in rows:
        match = _BOUNDS.search(bound)
        if match is None:  # FOR VALUES DEFAULT
            found.append(Partition(name, None, None))
        else:
            found.append(
                Partition(
                    name,
                    datetime.fromisoformat(match["lower"]),
                    datetime.fromisoformat(match["upper"]),
                )
            )
    return sorted(found, key=lambda p: (p.is_default, p.start or datetime.max.replace(tzinfo=UTC)))


def create_month(cursor: Any, month: Month, parent: str = TABLE) -> None:
    cursor.execute(
        f"CREATE TABLE {month.name} PARTITION OF {parent} FOR VALUES FROM (%s) TO (%s)",
        [month.start, month.end],
    )


def create_default(cursor: Any, parent: str = TABLE) -> None:
    cursor.execute(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {parent} DEFAULT")


def ensure_partitions(
    connection: BaseDatabaseWrapper, now: datetime, months_ahead: int = MONTHS_AHEAD
) -> list[str]:
    """Create the partitions of the current month and `months_ahead` months after it, and one for
    every month that has rows in the DEFAULT partition (moving them there); the names created.

    One transaction; a no-op (an empty list) on SQLite or an unpartitioned table.
    """
    if not is_partitioned(connection):
        return []
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        existing = {p.start for p in partitions(connection) if not p.is_default}
        wanted = set(months_between(Month.of(now), Month.of(now).plus(months_ahead)))
        stranded = _months_in_default(cursor)
        missing = sorted(m for m in wanted | stranded if m.start not in existing)
        if not missing:
            return []
        moving = sorted(m for m in missing if m in stranded)
        if moving:
            # A month cannot be created while the DEFAULT partition holds rows of it: take the
            # DEFAULT partition out, create the months, move its rows into them, put it back.
            cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {DEFAULT_PARTITION}")
        for month in missing:
            create_month(cursor, month)
        if moving:
            for month in moving:
                cursor.execute(
                    f"WITH moved AS (DELETE FROM {DEFAULT_PARTITION} "  # noqa: S608 - constants
                    "WHERE observed_at >= %s AND observed_at < %s RETURNING *) "
                    f"INSERT INTO {TABLE} OVERRIDING SYSTEM VALUE SELECT * FROM moved",
                    [month.start, month.end],
                )
                logger.info("Moved %d readings out of %s", cursor.rowcount, DEFAULT_PARTITION)
            # The moved rows' deferred foreign-key checks now: a table with pending trigger
            # events cannot be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} ATTACH PARTITION {DEFAULT_PARTITION} DEFAULT")
    created = [m.name for m in missing]
    logger.info("Created history partitions %s", ", ".join(created))
    return created


def drop_partition(connection: BaseDatabaseWrapper, partition: Partition) -> None:
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # none pending on what is dropped
        cursor.execute(f"DROP TABLE {partition.name}")


def _months_in_default(cursor: Any) -> set[Month]:
    cursor.execute(
        "SELECT DISTINCT date_trunc('month', observed_at, 'UTC') "  # noqa: S608 - constants only
        f"FROM {DEFAULT_PARTITION}"
    )
    return {Month.of(row[0]) for row in cursor.fetchall()}


# --- the migration's table rebuild ---------------------------------------------------------------

_NEW = f"{TABLE}_rebuilt"
KEY = f"{TABLE}_key"
KEY_PLAIN = "UNIQUE (location_id, observed_at, provider)"
#: The key, covering what the daily summaries read (and the id they count): an index-only scan
#: of one location's month, where the heap would cost one page per reading, since refreshes
#: write every location hour by hour. Django's model knows the key without INCLUDE (it cannot
#: say INCLUDE on SQLite); the database has it, like the composite primary key.
KEY_PARTITIONED = f"{KEY_PLAIN} INCLUDE (id, temperature, precipitation)"


def rebuild(cursor: Any, *, partitioned: bool, now: datetime) -> int:
    """Rebuild ``weather_observation`` as a partitioned table (or back as a plain one), in the
    caller's transaction, keeping every row, id, constraint, index and the id sequence's
    position; how many rows it moved. Fails (and the transaction rolls back) if a row is lost.

    Create the new table like the old one (columns, defaults, NOT NULL and CHECK constraints,
    identity), its partitions for every month holding rows and the months ahead, copy the rows
    with their ids, drop the old table, take its name, then add the primary key, the unique and
    foreign-key constraints and any other index the old one had (built once, after the copy);
    partitioned, the key covers the daily summaries' columns (`KEY_PARTITIONED`).
    """
    cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
    constraints = _constraints(cursor, {"u", "f"})
    indexes = _plain_indexes(cursor)
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
    (sequence,) = cursor.fetchone()
    cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608 - catalogue name
    last_value, is_called = cursor.fetchone()
    cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608 - constants only
    (before,) = cursor.fetchone()

    cursor.execute(
        f"CREATE TABLE {_NEW} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        "INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMMENTS)"
        + (" PARTITION BY RANGE (observed_at)" if partitioned else "")
    )
    if partitioned:
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', observed_at, 'UTC') FROM {TABLE}"  # noqa: S608
        )
        held = {Month.of(row[0]) for row in cursor.fetchall()}
        ahead = set(months_between(Month.of(now), Month.of(now).plus(MONTHS_AHEAD)))
        for month in sorted(held | ahead):
            create_month(cursor, month, parent=_NEW)
        create_default(cursor, parent=_NEW)
    cursor.execute(
        f"INSERT INTO {_NEW} OVERRIDING SYSTEM VALUE SELECT * FROM {TABLE}"  # noqa: S608
    )
    cursor.execute(f"SELECT count(*) FROM {_NEW}")  # noqa: S608 - constants only
    (after,) = cursor.fetchone()
    if after != before:
        raise RuntimeError(f"{TABLE}: {before} rows before the rebuild, {after} after")

    cursor.execute(f"DROP TABLE {TABLE}")  # no CASCADE: an unexpected dependant stops it here
    cursor.execute(f"ALTER TABLE {_NEW} RENAME TO {TABLE}")
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
    (new_sequence,) = cursor.fetchone()
    cursor.execute(f"ALTER SEQUENCE {new_sequence} RENAME TO {TABLE}_id_seq")
    cursor.execute(
        f"SELECT setval('{TABLE}_id_seq', %s, %s)",
        [last_value, is_called],
    )
    key = "(id, observed_at)" if partitioned else "(id)"
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY {key}")
    for name, definition in constraints:
        if name == KEY:
            definition = KEY_PARTITIONED if partitioned else KEY_PLAIN
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} {definition}")
    for definition in indexes:
        cursor.execute(definition)
    cursor.execute(f"ANALYZE {TABLE}")
    return int(after)


def _constraints(cursor: Any, kinds: Iterable[str]) -> Sequence[tuple[str, str]]:
    """(name, definition) of the table's constraints of these kinds ('u' unique, 'f' foreign)."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = to_regclass(%s) AND contype = ANY(%s) ORDER BY conname",
        [TABLE, list(kinds)],
    )
    return list(cursor.fetchall())


def _plain_indexes(cursor: Any) -> Sequence[str]:
    """``CREATE INDEX`` statements of the table's indexes that back no constraint."""
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = to_regclass(%s) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        [TABLE],
    )
    # On a partitioned table the definition says ON ONLY; on the new table it must recurse.
    return [row[0].replace(" ON ONLY ", " ON ") for row in cursor.fetchall()]
