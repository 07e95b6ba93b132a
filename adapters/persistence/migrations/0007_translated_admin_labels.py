"""The admin's labels in the language of the request (CONTRACT.md §3, v2, "Languages"): the
models' and fields' verbose names became translatable texts, spelt as Django wrote them before.
No SQL (`sqlmigrate` prints none): verbose names live in the migration state only."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("weather", "0006_stream_tickets"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="alert",
            options={
                "ordering": ("-raised_at", "id"),
                "verbose_name": "alert",
                "verbose_name_plural": "alerts",
            },
        ),
        migrations.AlterModelOptions(
            name="alertrule",
            options={
                "ordering": ("created_at", "id"),
                "verbose_name": "alert rule",
                "verbose_name_plural": "alert rules",
            },
        ),
        migrations.AlterModelOptions(
            name="forecast",
            options={"verbose_name": "forecast", "verbose_name_plural": "forecasts"},
        ),
        migrations.AlterModelOptions(
            name="location",
            options={
                "ordering": ("name", "id"),
                "verbose_name": "location",
                "verbose_name_plural": "locations",
            },
        ),
        migrations.AlterModelOptions(
            name="observation",
            options={
                "ordering": ("location", "observed_at", "provider"),
                "verbose_name": "observation",
                "verbose_name_plural": "observations",
            },
        ),
        migrations.AlterField(
            model_name="alert",
            name="delivered",
            field=models.BooleanField(default=False, verbose_name="delivered"),
        ),
        migrations.AlterField(
            model_name="alert",
            name="delivery_error",
            field=models.TextField(blank=True, default="", verbose_name="delivery error"),
        ),
        migrations.AlterField(
            model_name="alert",
            name="location",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="alerts",
                to="weather.location",
                verbose_name="location",
            ),
        ),
        migrations.AlterField(
            model_name="alert",
            name="metric",
            field=models.CharField(
                choices=[
                    ("temperature", "temperature"),
                    ("apparent_temperature", "apparent_temperature"),
                    ("wind_speed", "wind_speed"),
                    ("wind_gusts", "wind_gusts"),
                    ("precipitation", "precipitation"),
                    ("relative_humidity", "relative_humidity"),
                ],
                max_length=32,
                verbose_name="metric",
            ),
        ),
        migrations.AlterField(
            model_name="alert",
            name="observed_at",
            field=models.DateTimeField(verbose_name="observed at"),
        ),
        migrations.AlterField(
            model_name="alert",
            name="operator",
            field=models.CharField(
                choices=[("gt", "gt"), ("gte", "gte"), ("lt", "lt"), ("lte", "lte")],
                max_length=3,
                verbose_name="operator",
            ),
        ),
        migrations.AlterField(
            model_name="alert",
            name="owner_id",
            field=models.CharField(max_length=150, verbose_name="owner id"),
        ),
        migrations.AlterField(
            model_name="alert",
            name="raised_at",
            field=models.DateTimeField(verbose_name="raised at"),
        ),
        migrations.AlterField(
            model_name="alert",
            name="rule",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="alerts",
                to="weather.alertrule",
                verbose_name="rule",
            ),
        ),
        migrations.AlterField(
            model_name="alert",
            name="threshold",
            field=models.FloatField(verbose_name="threshold"),
        ),
        migrations.AlterField(
            model_name="alert",
            name="value",
            field=models.FloatField(verbose_name="value"),
        ),
        migrations.AlterField(
            model_name="alertrule",
            name="active",
            field=models.BooleanField(default=True, verbose_name="active"),
        ),
        migrations.AlterField(
            model_name="alertrule",
            name="created_at",
            field=models.DateTimeField(verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="alertrule",
            name="is_crossed",
            field=models.BooleanField(default=False, verbose_name="is crossed"),
        ),
        migrations.AlterField(
            model_name="alertrule",
            name="last_observed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last observed at"),
        ),
        migrations.AlterField(
            model_name="alertrule",
            name="location",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="alert_rules",
                to="weather.location",
                verbose_name="location",
            ),
        ),
        migrations.AlterField(
            model_name="alertrule",
            name="metric",
            field=models.CharField(
                choices=[
                    ("temperature", "temperature"),
                    ("apparent_temperature", "apparent_temperature"),
                    ("wind_speed", "wind_speed"),
                    ("wind_gusts", "wind_gusts"),
                    ("precipitation", "precipitation"),
                    ("relative_humidity", "relative_humidity"),
                ],
                max_length=32,
                verbose_name="metric",
            ),
        ),
        migrations.AlterField(
            model_name="alertrule",
            name="operator",
            field=models.CharField(
                choices=[("gt", "gt"), ("gte", "gte"), ("lt", "lt"), ("lte", "lte")],
                max_length=3,
                verbose_name="operator",
            ),
        ),
        migrations.AlterField(
            model_name="alertrule",
            name="owner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="alert_rules",
                to=settings.AUTH_USER_MODEL,
                verbose_name="owner",
            ),
        ),
        migrations.AlterField(
            model_name="alertrule",
            name="threshold",
            field=models.FloatField(verbose_name="threshold"),
        ),
        migrations.AlterField(
            model_name="alertrule",
            name="webhook_url",
            field=models.URLField(
                blank=True, default="", max_length=2000, verbose_name="webhook url"
            ),
        ),
        migrations.AlterField(
            model_name="forecast",
            name="fetched_at",
            field=models.DateTimeField(verbose_name="fetched at"),
        ),
        migrations.AlterField(
            model_name="forecast",
            name="kind",
            field=models.CharField(
                choices=[("hourly", "hourly"), ("daily", "daily")],
                max_length=6,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="forecast",
            name="location",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="forecasts",
                to="weather.location",
                verbose_name="location",
            ),
        ),
        migrations.AlterField(
            model_name="forecast",
            name="points",
            field=models.JSONField(verbose_name="points"),
        ),
        migrations.AlterField(
            model_name="forecast",
            name="provider",
            field=models.CharField(max_length=32, verbose_name="provider"),
        ),
        migrations.AlterField(
            model_name="location",
            name="admin1",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="admin1"),
        ),
        migrations.AlterField(
            model_name="location",
            name="country_code",
            field=models.CharField(
                blank=True, default="", max_length=2, verbose_name="country code"
            ),
        ),
        migrations.AlterField(
            model_name="location",
            name="created_at",
            field=models.DateTimeField(verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="location",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="registered_locations",
                to=settings.AUTH_USER_MODEL,
                verbose_name="created by",
            ),
        ),
        migrations.AlterField(
            model_name="location",
            name="elevation",
            field=models.FloatField(blank=True, null=True, verbose_name="elevation"),
        ),
        migrations.AlterField(
            model_name="location",
            name="latitude",
            field=models.DecimalField(decimal_places=4, max_digits=6, verbose_name="latitude"),
        ),
        migrations.AlterField(
            model_name="location",
            name="longitude",
            field=models.DecimalField(decimal_places=4, max_digits=7, verbose_name="longitude"),
        ),
        migrations.AlterField(
            model_name="location",
            name="name",
            field=models.CharField(max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="location",
            name="timezone",
            field=models.CharField(default="UTC", max_length=64, verbose_name="timezone"),
        ),
        migrations.AlterField(
            model_name="location",
            name="updated_at",
            field=models.DateTimeField(verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="observation",
            name="apparent_temperature",
            field=models.FloatField(blank=True, null=True, verbose_name="apparent temperature"),
        ),
        migrations.AlterField(
            model_name="observation",
            name="cloud_cover",
            field=models.FloatField(blank=True, null=True, verbose_name="cloud cover"),
        ),
        migrations.AlterField(
            model_name="observation",
            name="dew_point",
            field=models.FloatField(blank=True, null=True, verbose_name="dew point"),
        ),
        migrations.AlterField(
            model_name="observation",
            name="fetched_at",
            field=models.DateTimeField(verbose_name="fetched at"),
        ),
        migrations.AlterField(
            model_name="observation",
            name="is_day",
            field=models.BooleanField(blank=True, null=True, verbose_name="is day"),
        ),
        migrations.AlterField(
            model_name="observation",
            name="location",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="observations",
                to="weather.location",
                verbose_name="location",
            ),
        ),
        migrations.AlterField(
            model_name="observation",
            name="observed_at",
            field=models.DateTimeField(verbose_name="observed at"),
        ),
        migrations.AlterField(
            model_name="observation",
            name="precipitation",
            field=models.FloatField(blank=True, null=True, verbose_name="precipitation"),
        ),
        migrations.AlterField(
            model_name="observation",
            name="pressure",
            field=models.FloatField(blank=True, null=True, verbose_name="pressure"),
        ),
        migrations.AlterField(
            model_name="observation",
            name="provider",
            field=models.CharField(max_length=32, verbose_name="provider"),
        ),
        migrations.AlterField(
            model_name="observation",
            name="relative_humidity",
            field=models.FloatField(blank=True, null=True, verbose_name="relative humidity"),
        ),
        migrations.AlterField(
            model_name="observation",
            name="temperature",
            field=models.FloatField(blank=True, null=True, verbose_name="temperature"),
        ),
        migrations.AlterField(
            model_name="observation",
            name="weather_code",
            field=models.SmallIntegerField(blank=True, null=True, verbose_name="weather code"),
        ),
        migrations.AlterField(
            model_name="observation",
            name="wind_direction",
            field=models.FloatField(blank=True, null=True, verbose_name="wind direction"),
        ),
        migrations.AlterField(
            model_name="observation",
            name="wind_gusts",
            field=models.FloatField(blank=True, null=True, verbose_name="wind gusts"),
        ),
        migrations.AlterField(
            model_name="observation",
            name="wind_speed",
            field=models.FloatField(blank=True, null=True, verbose_name="wind speed"),
        ),
    ]
