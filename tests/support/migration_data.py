"""What the data migrations write, for the tests that read it.

A transactional test empties every table when it ends (Django's flush), rows written by data
migrations included, so a later test in the same process would find no beat schedule and no event
log horizon. Which tests run before which depends on how pytest-xdist shares the files out, so the
tests that read those rows first run the migrations' own data functions again, as `migrate` ran
them. Each function is idempotent (it skips what is already there): rows the real migration left
are kept as they are, and the assertions check what the migration's code writes either way.
(Django's `serialized_rollback` would restore them too, but it reloads content types that the
flush's post-migrate signal has already recreated, and fails on their unique key.)
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connections

#: (migration module, data function) of every migration that writes rows the tests read.
DATA_MIGRATIONS = (
    ("adapters.tasks.migrations.0002_default_refresh_schedule", "create_schedule"),
    ("adapters.tasks.migrations.0003_purge_events_schedule", "create_schedule"),
    ("adapters.tasks.migrations.0004_history_schedules", "create_schedules"),
    ("adapters.persistence.migrations.0005_live_events", "create_horizon"),
)


def restore_migration_data(using: str = "default") -> None:
    """Runs every data function of `DATA_MIGRATIONS` on the database `using`."""
    # The functions only read `schema_editor.connection`; a real schema editor cannot be opened
    # on SQLite inside the test's transaction.
    schema_editor = SimpleNamespace(connection=connections[using])
    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, schema_editor)
