"""The hourly purge of live events older than EVENT_RETENTION_HOURS, as django-celery-beat data
(editable in the admin). Created once; never overwritten afterwards, so an operator's change in
the admin survives later migrations."""

from django.db import migrations

TASK_NAME = "Purge old live events"


def create_schedule(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    if task_model.objects.filter(name=TASK_NAME).exists():
        return
    interval, _ = interval_model.objects.get_or_create(every=1, period="hours")
    task_model.objects.create(
        name=TASK_NAME,
        task="weather.purge_events",
        interval=interval,
        args="[]",
        kwargs="{}",
        # A run that waited a whole hour in the queue (no worker up) is dropped: the next one is
        # on its way, and it purges the same events.
        expire_seconds=3600,
        description=(
            "Drops the live events older than EVENT_RETENTION_HOURS (a stream that resumes "
            "from before them is told to reset), in batches."
        ),
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0002_default_refresh_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
