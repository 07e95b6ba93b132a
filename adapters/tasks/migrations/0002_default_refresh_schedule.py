"""The default periodic refresh of every location, as django-celery-beat data (editable in the
admin). Created once with WEATHER_REFRESH_INTERVAL_MINUTES; never overwritten afterwards, so an
operator's change in the admin survives later migrations."""

from django.conf import settings
from django.db import migrations

TASK_NAME = "Refresh every location"


def create_schedule(apps, schema_editor):
    interval_model = apps.get_model("django_celery_beat", "IntervalSchedule")
    task_model = apps.get_model("django_celery_beat", "PeriodicTask")
    if task_model.objects.filter(name=TASK_NAME).exists():
        return
    minutes = settings.WEATHER_REFRESH_INTERVAL_MINUTES
    interval, _ = interval_model.objects.get_or_create(every=minutes, period="minutes")
    task_model.objects.create(
        name=TASK_NAME,
        task="weather.refresh_all",
        interval=interval,
        args="[]",
        kwargs="{}",
        # A run that waited a whole interval in the queue (no worker up) is dropped: the next
        # one is already on its way, and refreshing twice in a row helps nobody.
        expire_seconds=minutes * 60,
        description=(
            "Refreshes the current weather and forecasts of every tracked location. "
            "A run that starts while another is still running skips itself."
        ),
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
