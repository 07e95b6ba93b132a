"""Alert rules and raised alerts: request bodies, query strings and JSON."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from adapters.rest.problems import localized_errors
from adapters.rest.serializers.queries import InstantField, PageQuerySerializer
from adapters.rest.serializers.strict_fields import BooleanField, NumberField, TextField, UUIDField
from domain.alerts import (
    THRESHOLD_RANGES,
    WEBHOOK_URL_MAX_LENGTH,
    Metric,
    Operator,
    check_threshold,
)
from domain.errors import InvalidInput

METRICS = [metric.value for metric in Metric]
OPERATORS = [operator.value for operator in Operator]

#: The lowest and highest threshold of any metric: what a threshold alone may be (a PATCH that
#: leaves the metric as it is); with its metric, the metric's own range (`validate`).
LOWEST_THRESHOLD = min(low for low, _ in THRESHOLD_RANGES.values())
HIGHEST_THRESHOLD = max(high for _, high in THRESHOLD_RANGES.values())
THRESHOLD_HELP = "In metric units (°C, km/h, mm, %), within the metric's physical range: " + (
    ", ".join(f"{metric} {low:g}…{high:g}" for metric, (low, high) in THRESHOLD_RANGES.items())
)
#: An http(s) URL, white space around it dropped, or white space alone for none like the empty
#: string (which the schema offers apart); whether its host is an acceptable target is the use
#: case's check (parsed and resolved as the delivery would).
WEBHOOK_URL = RegexValidator(
    r"\A\s+\Z|\A\s*[hH][tT][tT][pP][sS]?://[^\x00]*\Z",
    gettext_lazy("must be an absolute http or https URL."),
)


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

    location_id = UUIDField()
    metric = serializers.ChoiceField(choices=METRICS)
    operator = serializers.ChoiceField(choices=OPERATORS)
    threshold = NumberField(
        min_value=LOWEST_THRESHOLD, max_value=HIGHEST_THRESHOLD, help_text=THRESHOLD_HELP
    )
    webhook_url = TextField(
        trim_whitespace=True,
        required=False,
        allow_null=True,
        allow_blank=True,
        max_length=WEBHOOK_URL_MAX_LENGTH,
        validators=[WEBHOOK_URL],
        help_text="An http(s) URL that receives each alert as JSON by POST; null or blank for "
        "none. Private and loopback addresses are refused unless the deployment allows them.",
    )
    active = BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """A threshold given with its metric is held to that metric's range (the schema says so
        with `anyOf`); a threshold alone is checked against the rule's metric by the domain."""
        if "metric" in attrs and "threshold" in attrs:
            try:
                check_threshold(Metric(attrs["metric"]), attrs["threshold"])
            except InvalidInput as error:
                raise serializers.ValidationError(localized_errors(error)) from None
        return attrs


#: What PUT resets an omitted optional field to.
ALERT_RULE_OPTIONAL_DEFAULTS: dict[str, object] = {"webhook_url": None, "active": True}


class AlertRuleListQuerySerializer(PageQuerySerializer):
    pass


class AlertListQuerySerializer(PageQuerySerializer):
    rule = UUIDField(required=False, help_text="Only alerts of this rule.")
    location = UUIDField(required=False, help_text="Only alerts of this location.")


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
