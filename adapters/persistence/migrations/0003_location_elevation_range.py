# Elevation within [-500, 9000] metres, as the domain says (domain/locations.py, CONTRACT.md §4).
#
# Before this rule the API stored any finite number (an `elevation: 1e308` was accepted), and
# PostgreSQL checks every existing row when a CHECK constraint is added: such a value would stop
# the migration. An elevation outside the range cannot be a place's height, and the elevation is
# optional, so it is forgotten (null, "unknown") first; nothing else of the location changes.

from django.db import migrations, models
from django.db.models import Q

MIN_ELEVATION_METRES = -500.0
MAX_ELEVATION_METRES = 9000.0


def forget_impossible_elevations(apps, schema_editor):
    Location = apps.get_model("weather", "Location")
    Location.objects.using(schema_editor.connection.alias).filter(
        Q(elevation__lt=MIN_ELEVATION_METRES) | Q(elevation__gt=MAX_ELEVATION_METRES)
    ).update(elevation=None)


class Migration(migrations.Migration):

    dependencies = [
        ("weather", "0002_alert_delivery_error"),
    ]

    operations = [
        migrations.RunPython(
            forget_impossible_elevations, migrations.RunPython.noop, elidable=True
        ),
        migrations.AddConstraint(
            model_name="location",
            constraint=models.CheckConstraint(
                condition=Q(elevation__isnull=True)
                | Q(elevation__gte=MIN_ELEVATION_METRES, elevation__lte=MAX_ELEVATION_METRES),
                name="weather_location_elevation_range",
            ),
        ),
    ]
