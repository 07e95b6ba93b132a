"""``weather_observation`` partitioned by month on PostgreSQL (docs/decisions/0022): the existing
table is rebuilt as a partitioned one in the migration's transaction, every row moved with its id,
and its constraints, indexes and id sequence carried over (`history_partitions.rebuild`). Rows
before = rows after, or the migration fails and rolls back. Backwards, the same rebuild makes it
one plain table again. SQLite keeps one table: nothing to do there.

Django's model does not change: its primary key stays ``id``, while the database's is
``(id, observed_at)``, as PostgreSQL requires of a partitioned table.

The table is locked for the copy (reads and writes wait), and needs its size again in free
disk: about 15 s per million rows on the loaded 2-core development machine (876,000 rows: 13.6 s,
6.2 s back); on a large installation run it in a maintenance window.
"""

from datetime import UTC, datetime

from django.db import migrations

from adapters.persistence import history_partitions


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        history_partitions.rebuild(cursor, partitioned=True, now=datetime.now(UTC))


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        history_partitions.rebuild(cursor, partitioned=False, now=datetime.now(UTC))


class Migration(migrations.Migration):
    dependencies = [
        ("weather", "0007_translated_admin_labels"),
    ]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
