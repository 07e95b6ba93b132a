"""The live events' outbox (CONTRACT.md §4, v2): ``weather_event``, written by the unit of work in
the transaction of each change, and ``weather_event_horizon``, its one row recording how far the
retention purge has gone (``adapters/persistence/events/``). New tables only: nothing existing
changes, and backwards they are dropped with the events they hold."""

from django.db import migrations, models

EVENT_TYPES = [
    "location.created",
    "location.updated",
    "location.deleted",
    "weather.refreshed",
    "alert.raised",
]


def create_horizon(apps, schema_editor):
    horizon = apps.get_model("weather", "EventLogHorizon")
    horizon.objects.using(schema_editor.connection.alias).get_or_create(
        id=1, defaults={"purged_through": 0}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("weather", "0004_accounts_own_rules_and_locations"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventLogHorizon",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("purged_through", models.BigIntegerField(default=0)),
                ("purged_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "verbose_name": "live event retention horizon",
                "db_table": "weather_event_horizon",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("id", 1)), name="weather_event_horizon_one_row"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="OutboxEvent",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "type",
                    models.CharField(choices=[(kind, kind) for kind in EVENT_TYPES], max_length=32),
                ),
                ("data", models.JSONField()),
                ("location_ids", models.JSONField(default=list)),
                ("owner_id", models.CharField(blank=True, default="", max_length=150)),
                ("created_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "live event",
                "db_table": "weather_event",
                "ordering": ("id",),
                "indexes": [models.Index(fields=["created_at"], name="weather_event_created_at")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("type__in", EVENT_TYPES)),
                        name="weather_event_type_valid",
                    )
                ],
            },
        ),
        migrations.RunPython(create_horizon, migrations.RunPython.noop),
    ]
