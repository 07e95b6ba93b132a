"""Alert rules and the alerts they raise.

A rule watches one metric of one location ("wind_gusts gt 70"). It raises an alert when a new
reading crosses the threshold, and stays quiet while readings remain beyond it: it must see a
reading back on the safe side before it can raise again. That memory (`is_crossed`,
`last_observed_at`) is part of the rule, so evaluation is a pure method of the entity.
"""

from __future__ import annotations

import enum
import math
import uuid
from datetime import datetime
from urllib.parse import urlsplit

import attrs

from domain.errors import InvalidInput
from domain.observations import Observation
from domain.timekeeping import require_optional_utc, require_utc, to_optional_utc, to_utc

WEBHOOK_URL_MAX_LENGTH = 2000


class Metric(enum.StrEnum):
    """The readings a rule may watch; values are `Observation` field names."""

    TEMPERATURE = "temperature"
    APPARENT_TEMPERATURE = "apparent_temperature"
    WIND_SPEED = "wind_speed"
    WIND_GUSTS = "wind_gusts"
    PRECIPITATION = "precipitation"
    RELATIVE_HUMIDITY = "relative_humidity"

    @classmethod
    def parse(cls, value: str) -> Metric:
        try:
            return cls(value)
        except ValueError:
            choices = " ".join(member.value for member in cls)
            raise InvalidInput("metric", "must be one of {choices}.", choices=choices) from None

    def read(self, observation: Observation) -> float | None:
        value: float | None = getattr(observation, self.value)
        return value

    @property
    def threshold_range(self) -> tuple[float, float]:
        """The lowest and highest threshold a rule on this metric may have (metric units)."""
        return THRESHOLD_RANGES[self]


#: The physical range of each metric, in the metric units thresholds are given in (CONTRACT.md §4
#: Alerts): temperatures −100…70 °C, wind 0…500 km/h, precipitation 0…500 mm, humidity 0…100 %.
#: The contract names families, and "temperatures" is plural: `apparent_temperature` takes the
#: temperature range (a felt temperature strays beyond the air's extremes only in the rarest heat
#: or wind chill, and a rule waiting for 70 °C felt would already be extreme), `wind_gusts` the
#: wind range. A threshold outside its range is never crossed, or always: a mistake to refuse.
TEMPERATURE_RANGE = (-100.0, 70.0)
WIND_RANGE = (0.0, 500.0)
PRECIPITATION_RANGE = (0.0, 500.0)
HUMIDITY_RANGE = (0.0, 100.0)
THRESHOLD_RANGES: dict[Metric, tuple[float, float]] = {
    Metric.TEMPERATURE: TEMPERATURE_RANGE,
    Metric.APPARENT_TEMPERATURE: TEMPERATURE_RANGE,
    Metric.WIND_SPEED: WIND_RANGE,
    Metric.WIND_GUSTS: WIND_RANGE,
    Metric.PRECIPITATION: PRECIPITATION_RANGE,
    Metric.RELATIVE_HUMIDITY: HUMIDITY_RANGE,
}


class Operator(enum.StrEnum):
    """How a reading is compared with the threshold."""

    GT = "gt"
    GTE = "gte"
    LT = "lt"
    LTE = "lte"

    @classmethod
    def parse(cls, value: str) -> Operator:
        try:
            return cls(value)
        except ValueError:
            choices = " ".join(member.value for member in cls)
            raise InvalidInput("operator", "must be one of {choices}.", choices=choices) from None

    def holds(self, value: float, threshold: float) -> bool:
        """Whether `value` is beyond `threshold` in this operator's sense."""
        if self is Operator.GT:
            return value > threshold
        if self is Operator.GTE:
            return value >= threshold
        if self is Operator.LT:
            return value < threshold
        return value <= threshold


def check_webhook_url(url: str) -> str:
    """`url` if it has the shape of a webhook: an absolute http(s) URL of reasonable length.

    Where it points is not judged here: whether a host may be a target (not on the server's own
    network, unless the deployment allows it) needs its resolved addresses, which is I/O, and is
    the `WebhookTargets` port's decision (`adapters/notifications/targets.py`), asked when a rule
    is written and again at delivery.
    """
    if not isinstance(url, str) or len(url) > WEBHOOK_URL_MAX_LENGTH:
        raise InvalidInput(
            "webhook_url",
            "must be a URL of at most {maximum} chars.",
            maximum=WEBHOOK_URL_MAX_LENGTH,
        )
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise InvalidInput("webhook_url", "must be a valid URL.") from None
    if parts.scheme not in {"http", "https"} or not host:
        raise InvalidInput("webhook_url", "must be an absolute http or https URL.")
    return url


def _webhook_url(value: str | None) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return check_webhook_url(value.strip())


def _threshold(value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInput("threshold", "must be a finite number.")
    return float(value)


def check_threshold(metric: Metric, threshold: float) -> float:
    """`threshold` as a float if it lies within `metric`'s physical range, else `InvalidInput`."""
    value = _threshold(threshold)
    low, high = metric.threshold_range
    if not low <= value <= high:
        raise InvalidInput(
            "threshold",
            "must be between {low:g} and {high:g} for {metric}.",
            low=low,
            high=high,
            metric=metric,
        )
    return value


def _threshold_in_range(rule: AlertRule, _attribute: attrs.Attribute[float], value: float) -> None:
    """attrs runs validators once every field is set, so the rule's metric is known here."""
    check_threshold(rule.metric, value)


def _owner(value: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInput("owner_id", "must identify the owner.")
    return value


def _metric(value: Metric | str) -> Metric:
    return value if isinstance(value, Metric) else Metric.parse(value)


def _operator(value: Operator | str) -> Operator:
    return value if isinstance(value, Operator) else Operator.parse(value)


def _boolean(_instance: object, attribute: attrs.Attribute[bool], value: bool) -> None:
    if not isinstance(value, bool):
        raise InvalidInput(attribute.name, "must be true or false.")


@attrs.define(kw_only=True)
class Alert:
    """One crossing of a rule, as raised; `delivered` turns true once its webhook accepted it.

    `delivery_error` says why it will not be delivered: its webhook is a target the deployment
    refuses (a name that now resolves to a private address, say), which no retry can change.
    """

    id: uuid.UUID = attrs.field(factory=uuid.uuid4)
    rule_id: uuid.UUID
    owner_id: str
    location_id: uuid.UUID
    metric: Metric
    operator: Operator
    threshold: float
    value: float
    observed_at: datetime = attrs.field(converter=to_utc, validator=require_utc)
    raised_at: datetime = attrs.field(converter=to_utc, validator=require_utc)
    delivered: bool = False
    delivery_error: str | None = None

    def mark_delivered(self) -> None:
        self.delivered = True
        self.delivery_error = None

    def mark_undeliverable(self, reason: str) -> None:
        """Its webhook refused it for good: it stays undelivered, and says why."""
        self.delivery_error = reason


@attrs.define(kw_only=True)
class AlertRule:
    """Tells `owner_id` when `metric` of `location_id` is `operator` `threshold` (metric units)."""

    id: uuid.UUID = attrs.field(factory=uuid.uuid4)
    owner_id: str = attrs.field(converter=_owner)
    location_id: uuid.UUID
    metric: Metric = attrs.field(converter=_metric)
    operator: Operator = attrs.field(converter=_operator)
    threshold: float = attrs.field(converter=_threshold, validator=_threshold_in_range)
    webhook_url: str | None = attrs.field(default=None, converter=_webhook_url)
    active: bool = attrs.field(default=True, validator=_boolean)
    created_at: datetime = attrs.field(converter=to_utc, validator=require_utc)
    is_crossed: bool = False
    last_observed_at: datetime | None = attrs.field(
        default=None, converter=to_optional_utc, validator=require_optional_utc
    )

    def redefine(
        self,
        *,
        location_id: uuid.UUID,
        metric: Metric | str,
        operator: Operator | str,
        threshold: float,
    ) -> None:
        """Change the condition; the memory of past crossings belonged to the old one.

        The whole condition is checked before any of it changes: the threshold against the new
        metric, so a refused redefinition leaves the rule as it was."""
        new_metric = _metric(metric)
        condition = (
            location_id,
            new_metric,
            _operator(operator),
            check_threshold(new_metric, threshold),
        )
        if condition != (self.location_id, self.metric, self.operator, self.threshold):
            self.location_id, self.metric, self.operator, self.threshold = condition
            self.is_crossed = False
            self.last_observed_at = None

    def evaluate(self, observation: Observation, *, raised_at: datetime) -> Alert | None:
        """The alert `observation` raises, if it is the first reading beyond the threshold.

        Readings of another location, readings without the metric and readings older than one
        already seen do not move the rule: they say nothing new about "now".
        """
        if not self.active or observation.location_id != self.location_id:
            return None
        if self.last_observed_at is not None and observation.observed_at < self.last_observed_at:
            return None
        value = self.metric.read(observation)
        if value is None:
            return None
        was_crossed = self.is_crossed
        self.is_crossed = self.operator.holds(value, self.threshold)
        self.last_observed_at = observation.observed_at
        if was_crossed or not self.is_crossed:
            return None
        return Alert(
            rule_id=self.id,
            owner_id=self.owner_id,
            location_id=self.location_id,
            metric=self.metric,
            operator=self.operator,
            threshold=self.threshold,
            value=value,
            observed_at=observation.observed_at,
            raised_at=raised_at,
        )
