"""Alert rules and raised alerts: request bodies, query strings and JSON."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from adapters.rest.serializers.queries import InstantField, PageQuerySerializer
from domain.alerts import WEBHOOK_URL_MAX_LENGTH, Metric, Operator

METRICS = [metric.value for metric in Metric]
OPERATORS = [operator.value for operator in Operator]


class AlertRuleSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    location_id = serializers.UUIDField()
    metric = serializers.ChoiceField(choices=METRICS)
    operator = serializers.ChoiceField(choices=OPERATORS)
    threshold = serializers.FloatField(help_text="In metric units (°C, km/h, mm, %).")
    webhook_url = serializers.URLField(allow_null=True)
    active = serializers.BooleanField()
    created_at = InstantField()


class AlertRuleWriteSerializer(serializers.Serializer[Any]):
    """POST and PUT take every field (`webhook_url` defaults to null, `active` to true); PATCH
    takes any of them."""

    location_id = serializers.UUIDField()
    metric = serializers.ChoiceField(choices=METRICS)
    operator = serializers.ChoiceField(choices=OPERATORS)
    threshold = serializers.FloatField(help_text="In metric units (°C, km/h, mm, %).")
    webhook_url = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=WEBHOOK_URL_MAX_LENGTH,
        help_text="An http(s) URL that receives each alert as JSON by POST; null or blank for "
        "none. Private and loopback addresses are refused unless the deployment allows them.",
    )
    active = serializers.BooleanField(required=False)


#: What PUT resets an omitted optional field to.
ALERT_RULE_OPTIONAL_DEFAULTS: dict[str, object] = {"webhook_url": None, "active": True}


class AlertRuleListQuerySerializer(PageQuerySerializer):
    pass


class AlertListQuerySerializer(PageQuerySerializer):
    rule = serializers.UUIDField(required=False, help_text="Only alerts of this rule.")
    location = serializers.UUIDField(required=False, help_text="Only alerts of this location.")


class AlertSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    rule_id = serializers.UUIDField()
    location_id = serializers.UUIDField()
    metric = serializers.ChoiceField(choices=METRICS)
    value = serializers.FloatField(help_text="The reading that crossed the threshold (metric).")
    threshold = serializers.FloatField()
    operator = serializers.ChoiceField(choices=OPERATORS)
    observed_at = InstantField()
    raised_at = InstantField()
    delivered = serializers.BooleanField(help_text="Whether the webhook received it.")
