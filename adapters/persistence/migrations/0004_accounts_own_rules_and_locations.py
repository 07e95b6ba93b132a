"""User accounts as foreign keys: a location's creator, an alert rule's owner (CONTRACT.md §3, v2).

- `Location.created_by` (nullable, SET NULL when the account goes): who registered it, who may
  change it besides staff. Nobody recorded that before, so existing locations have none: from
  now on only staff may change them.
- `AlertRule.owner`: it was `owner_id`, text holding `str(user.pk)` with no foreign key, so a
  deleted user's rules (and their webhooks) lived on. The text column is renamed
  `legacy_owner`, the foreign key added nullable, and each rule whose legacy owner is the id of
  an existing user gets that user. The rules of users that no longer exist (or never did: any
  other text) are deleted, with their alerts: they should have gone with their user, and no one
  can read them. Their number is logged. Then the key becomes required and the text column goes.
- Thresholds outside their metric's range: rules stored before thresholds were validated (a
  `1e300`, say) fail the domain's validation when loaded. They are clamped into the range and
  switched off (`active` false, the memory of crossings reset), so none is lost and none fires
  by surprise; their owners can read them, fix them and switch them on. Their number is logged.

Reversible: backwards, owners are written back as text. Rules deleted going forwards stay
deleted, and clamped thresholds stay clamped.
"""

import logging

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import Cast

logger = logging.getLogger("adapters.persistence.migrations")

#: `domain.alerts.THRESHOLD_RANGES` as it stands at this migration (a migration must not change
#: with the code): each physical range and the metrics it applies to.
THRESHOLD_RANGES = {
    (-100.0, 70.0): ("temperature", "apparent_temperature"),
    (0.0, 500.0): ("wind_speed", "wind_gusts", "precipitation"),
    (0.0, 100.0): ("relative_humidity",),
}

#: The largest primary key a database integer column holds.
MAX_KEY = 2**63 - 1


def _user_key(legacy_owner):
    """The user id that `str(user.pk)` wrote, or None for any other text."""
    text = (legacy_owner or "").strip()
    if not text.isdigit() or not 0 < int(text) <= MAX_KEY:
        return None
    return int(text)


def _check_deferred_constraints(schema_editor):
    """PostgreSQL refuses to alter or index a table with pending deferred constraint checks,
    which writes to a table with foreign keys queue: run them now, as Django does at the end of
    a test (the schema changes after a RunPython, and the indexes Django creates at the end of
    the migration, then find none)."""
    schema_editor.connection.check_constraints(table_names=["weather_alert_rule"])


def link_owners(apps, schema_editor):
    alias = schema_editor.connection.alias
    rules = apps.get_model("weather", "AlertRule").objects.using(alias)
    users = apps.get_model(settings.AUTH_USER_MODEL).objects.using(alias)

    keys = {
        legacy: _user_key(legacy)
        for legacy in rules.order_by().values_list("legacy_owner", flat=True).distinct()
    }
    existing = set(
        users.filter(pk__in={key for key in keys.values() if key is not None}).values_list(
            "pk", flat=True
        )
    )
    for legacy, key in keys.items():
        if key in existing:
            rules.filter(legacy_owner=legacy).update(owner_id=key)

    gone = [legacy for legacy, key in keys.items() if key not in existing]
    count, deleted = rules.filter(owner__isnull=True).delete()
    if count:
        logger.warning(
            "Deleted %d alert rules and %d alerts of %d accounts that no longer exist "
            "(they should have gone with their user).",
            deleted.get("weather.AlertRule", 0),
            deleted.get("weather.Alert", 0),
            len(gone),
        )
    _check_deferred_constraints(schema_editor)


def write_owners_back(apps, schema_editor):
    alias = schema_editor.connection.alias
    rules = apps.get_model("weather", "AlertRule").objects.using(alias)
    rules.update(legacy_owner=Cast("owner_id", output_field=models.CharField(max_length=150)))


def clamp_thresholds(apps, schema_editor):
    alias = schema_editor.connection.alias
    rules = apps.get_model("weather", "AlertRule").objects.using(alias)
    switched_off = {"active": False, "is_crossed": False, "last_observed_at": None}
    clamped = 0
    for (low, high), metrics in THRESHOLD_RANGES.items():
        of_metrics = rules.filter(metric__in=metrics)
        clamped += of_metrics.filter(threshold__lt=low).update(threshold=low, **switched_off)
        # On PostgreSQL NaN is greater than every number: it is clamped to the top.
        clamped += of_metrics.filter(threshold__gt=high).update(threshold=high, **switched_off)
    if clamped:
        logger.warning(
            "Clamped the threshold of %d alert rules into their metric's range and switched "
            "them off: they were stored before thresholds were validated.",
            clamped,
        )
    _check_deferred_constraints(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("weather", "0003_location_elevation_range"),
    ]

    operations = [
        migrations.AddField(
            model_name="location",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="registered_locations",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RenameField(
            model_name="alertrule", old_name="owner_id", new_name="legacy_owner"
        ),
        # Unindexed (its index's name is the one the foreign key's index takes), and with a
        # default, so that migrating backwards can add the column back to a table with rows.
        migrations.AlterField(
            model_name="alertrule",
            name="legacy_owner",
            field=models.CharField(default="", max_length=150),
        ),
        migrations.AddField(
            model_name="alertrule",
            name="owner",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="alert_rules",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(link_owners, write_owners_back),
        migrations.AlterField(
            model_name="alertrule",
            name="owner",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="alert_rules",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RemoveField(model_name="alertrule", name="legacy_owner"),
        migrations.RunPython(clamp_thresholds, migrations.RunPython.noop, elidable=True),
    ]
