"""`DjangoAlertRepository`: the `AlertRepository` port over ``weather_alert_rule`` and
``weather_alert`` (a rule's alerts go with it, by ON DELETE CASCADE). Nothing here is read through
the cache (``cache.py`` says what is)."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Collection, Sequence

from django.db import connections
from django.db.models import QuerySet

from adapters.persistence import mappers, models
from adapters.persistence.repositories.paging import page_of
from adapters.persistence.session import Session
from application.pagination import Page, PageRequest
from domain.alerts import Alert, AlertRule

#: A rule's memory of past crossings, written by `update_rule_memories`: its rows joined to the
#: table from one VALUES list, a single statement for a batch, where ``bulk_update`` would build a
#: CASE per row and column in Python at many times the cost (the refresh of a thousand locations
#: with a rule each spent more time there than in everything else the rules cost).
_MEMORY_COLUMNS = ("id", "is_crossed", "last_observed_at")
_MEMORY_ROW = {"postgresql": "(%s::uuid, %s::boolean, %s::timestamptz)", "sqlite": "(%s, %s, %s)"}
_UPDATE_MEMORIES = (
    "WITH memory (id, is_crossed, last_observed_at) AS (VALUES {rows}) "
    "UPDATE weather_alert_rule SET is_crossed = memory.is_crossed, "
    "last_observed_at = memory.last_observed_at FROM memory WHERE weather_alert_rule.id = memory.id"
)
#: Rules per statement: 900 parameters, under SQLite's historical limit of 999.
MEMORIES_PER_STATEMENT = 300


class DjangoAlertRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    @functools.cached_property
    def _rules(self) -> QuerySet[models.AlertRule]:
        return models.AlertRule.objects.using(self._session.using)

    @functools.cached_property
    def _alerts(self) -> QuerySet[models.Alert]:
        return models.Alert.objects.using(self._session.using)

    def add_rule(self, rule: AlertRule) -> None:
        with self._session.access():
            self._rules.bulk_create([mappers.rule_to_row(rule)])

    def update_rule(self, rule: AlertRule) -> None:
        row = mappers.rule_to_row(rule)
        fields = [f.attname for f in models.AlertRule._meta.concrete_fields if not f.primary_key]
        with self._session.access():
            self._rules.filter(pk=rule.id).update(**{name: getattr(row, name) for name in fields})

    def remove_rule(self, rule_id: uuid.UUID) -> None:
        with self._session.access():
            self._rules.filter(pk=rule_id).delete()

    def get_rule(self, rule_id: uuid.UUID) -> AlertRule | None:
        with self._session.access():
            row = self._rules.filter(pk=rule_id).first()
        return None if row is None else mappers.rule_from_row(row)

    def rules_of_owner(self, owner_id: str, page: PageRequest) -> Page[AlertRule]:
        queryset = self._rules.filter(owner_id=mappers.account_key(owner_id)).order_by(
            "created_at", "id"
        )
        with self._session.access():
            return page_of(queryset, page, mappers.rule_from_row)

    def active_rules_for_locations(
        self, location_ids: Collection[uuid.UUID]
    ) -> Sequence[AlertRule]:
        with self._session.access():
            rows = list(
                self._rules.filter(location_id__in=list(location_ids), active=True).order_by(
                    "created_at", "id"
                )
            )
        return [mappers.rule_from_row(row) for row in rows]

    def update_rule_memories(self, rules: Sequence[AlertRule]) -> None:
        """One ``UPDATE … FROM (VALUES …)`` per `MEMORIES_PER_STATEMENT` rules."""
        db = connections[self._session.using]
        row = _MEMORY_ROW[db.vendor]  # the two databases the project runs on
        columns = {field.name: field for field in models.AlertRule._meta.concrete_fields}
        fields = [columns[name] for name in _MEMORY_COLUMNS]
        with self._session.access(), db.cursor() as cursor:
            for start in range(0, len(rules), MEMORIES_PER_STATEMENT):
                chunk = rules[start : start + MEMORIES_PER_STATEMENT]
                params = [
                    field.get_db_prep_value(value, db)
                    for rule in chunk
                    for field, value in zip(
                        fields, (rule.id, rule.is_crossed, rule.last_observed_at), strict=True
                    )
                ]
                cursor.execute(_UPDATE_MEMORIES.format(rows=", ".join([row] * len(chunk))), params)

    def add_alerts(self, alerts: Sequence[Alert]) -> None:
        with self._session.access():
            self._alerts.bulk_create([mappers.alert_to_row(alert) for alert in alerts])

    def update_alert(self, alert: Alert) -> None:
        with self._session.access():
            self._alerts.filter(pk=alert.id).update(**mappers.alert_delivery_fields(alert))

    def get_alert(self, alert_id: uuid.UUID) -> Alert | None:
        with self._session.access():
            row = self._alerts.filter(pk=alert_id).first()
        return None if row is None else mappers.alert_from_row(row)

    def alerts_of_owner(
        self,
        owner_id: str,
        *,
        rule_id: uuid.UUID | None,
        location_id: uuid.UUID | None,
        page: PageRequest,
    ) -> Page[Alert]:
        queryset = self._alerts.filter(owner_id=owner_id).order_by("-raised_at", "id")
        if rule_id is not None:
            queryset = queryset.filter(rule_id=rule_id)
        if location_id is not None:
            queryset = queryset.filter(location_id=location_id)
        with self._session.access():
            return page_of(queryset, page, mappers.alert_from_row)

    def remove_for_location(self, location_id: uuid.UUID) -> None:
        with self._session.access():
            self._rules.filter(location_id=location_id).delete()
