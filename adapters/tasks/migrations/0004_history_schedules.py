"""The history's upkeep as django-celery-beat data (editable in the admin): the daily creation of
the monthly partitions ahead and the hourly retention purge (``adapters/tasks/history.py``).
Created once; never overwritten afterwards, so an operator's change in the admin survives later
migrations."""

from django.db import migrations

SCHEDULES = [
    {
        "name": "Prepare history partitions",
        "task": "weather.prepare_history",
        "every": 1,
        "period": "days",
        # A run that waited a whole day in the queue is dropped: the next one does the same.
        "expire_seconds": 86_400,
        "description": (
            "Creates the monthly partitions of the observations ahead (this month and the next "
            "three, PostgreSQL only) and moves any reading that reached the DEFAULT partition "
            "into a month of its own."
        ),
    },
    {
        "name": "Purge old history",
        "task": "weather.purge_history",
        "every": 1,
        "period": "hours",
        "expire_seconds": 3600,
        "description": (
            "Drops the observations older than WEATHER_HISTORY_RETENTION_DAYS (unset: keeps "
            "everything): whole monthly partitions on PostgreSQL, then batches of 5,000 rows."
        ),
    },
]


def create_schedules(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    for schedule in SCHEDULES:
        if task_model.objects.filter(name=schedule["name"]).exists():
            continue
        interval, _ = interval_model.objects.get_or_create(
            every=schedule["every"], period=schedule["period"]
        )
        task_model.objects.create(
            name=schedule["name"],
            task=schedule["task"],
            interval=interval,
            args="[]",
            kwargs="{}",
            expire_seconds=schedule["expire_seconds"],
            description=schedule["description"],
        )


def remove_schedules(apps, schema_editor):
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    task_model.objects.filter(name__in=[s["name"] for s in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0003_purge_events_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
