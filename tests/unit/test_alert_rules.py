"""Alert rules: conditions, webhook URLs, and raising once per crossing."""

from __future__ import annotations

import math
import uuid
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.alerts import AlertRule, Metric, Operator, check_webhook_url
from domain.errors import InvalidInput
from domain.observations import Observation
from tests.support.builders import NOW, a_rule, an_observation


@pytest.mark.parametrize(
    ("operator", "value", "holds"),
    [
        (Operator.GT, 30.0, False),
        (Operator.GT, 30.1, True),
        (Operator.GTE, 30.0, True),
        (Operator.LT, 30.0, False),
        (Operator.LT, 29.9, True),
        (Operator.LTE, 30.0, True),
    ],
)
def test_operators_compare_a_reading_with_the_threshold(
    operator: Operator, value: float, holds: bool
) -> None:
    assert operator.holds(value, 30.0) is holds


def test_metric_and_operator_parse_their_contract_names() -> None:
    assert Metric.parse("wind_gusts") is Metric.WIND_GUSTS
    assert Operator.parse("lte") is Operator.LTE
    with pytest.raises(InvalidInput) as raised:
        Metric.parse("pressure")
    assert raised.value.field == "metric"
    with pytest.raises(InvalidInput) as raised:
        Operator.parse("eq")
    assert raised.value.field == "operator"


def test_a_rule_accepts_contract_strings_and_refuses_odd_thresholds() -> None:
    rule = a_rule(metric="wind_speed", operator="gte", threshold=50)
    assert (rule.metric, rule.operator, rule.threshold) == (Metric.WIND_SPEED, Operator.GTE, 50.0)
    for bad in (float("nan"), "50", True):
        with pytest.raises(InvalidInput):
            a_rule(threshold=bad)
    with pytest.raises(InvalidInput):
        a_rule(owner_id="")
    with pytest.raises(InvalidInput):
        a_rule(active="yes")


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/hook", "example.com/hook", "http://", "https://[::1", "x" * 2001, 7],
)
def test_a_webhook_must_be_an_http_url(url: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_webhook_url(url)
    assert raised.value.field == "webhook_url"


@pytest.mark.parametrize(
    "url", ["https://hooks.example.com/x", "https://8.8.8.8/x", "http://127.0.0.1:8000/hook"]
)
def test_a_webhook_of_the_right_shape_is_kept_whatever_its_host(url: str) -> None:
    """Whether its host may be a target is the `WebhookTargets` port's decision, not the
    domain's (it needs the resolved addresses)."""
    assert check_webhook_url(url) == url
    assert a_rule(webhook_url=f" {url} ").webhook_url == url


def test_a_blank_webhook_means_none() -> None:
    assert a_rule(webhook_url="  ").webhook_url is None


def reading_of(rule: AlertRule, minutes: int, **metrics: Any) -> Observation:
    return an_observation(rule.location_id, observed_at=NOW + timedelta(minutes=minutes), **metrics)


def test_a_rule_raises_when_a_reading_crosses_its_threshold() -> None:
    rule = a_rule(threshold=30.0)
    alert = rule.evaluate(reading_of(rule, 0, temperature=31.0), raised_at=NOW)
    assert alert is not None
    assert (alert.rule_id, alert.value, alert.threshold, alert.owner_id) == (
        rule.id,
        31.0,
        30.0,
        rule.owner_id,
    )
    assert alert.delivered is False


def test_a_rule_stays_quiet_while_the_reading_stays_beyond_and_raises_again_after_return() -> None:
    rule = a_rule(threshold=30.0)
    temps = [31.0, 35.0, 29.0, 32.0]
    alerts = [
        rule.evaluate(reading_of(rule, i, temperature=t), raised_at=NOW)
        for i, t in enumerate(temps)
    ]
    assert [alert is not None for alert in alerts] == [True, False, False, True]


def test_a_rule_ignores_readings_of_other_places_without_the_metric_or_older_than_seen() -> None:
    rule = a_rule(threshold=30.0)
    assert rule.evaluate(an_observation(uuid.uuid4(), temperature=40.0), raised_at=NOW) is None
    assert rule.evaluate(reading_of(rule, 10, wind_speed=3.0), raised_at=NOW) is None
    assert rule.evaluate(reading_of(rule, 10, temperature=20.0), raised_at=NOW) is None
    assert rule.evaluate(reading_of(rule, 5, temperature=40.0), raised_at=NOW) is None
    assert rule.last_observed_at == NOW + timedelta(minutes=10)


def test_an_inactive_rule_raises_nothing() -> None:
    rule = a_rule(threshold=30.0, active=False)
    assert rule.evaluate(reading_of(rule, 0, temperature=40.0), raised_at=NOW) is None


def test_redefining_the_condition_forgets_the_old_crossing() -> None:
    rule = a_rule(threshold=30.0)
    rule.evaluate(reading_of(rule, 0, temperature=40.0), raised_at=NOW)
    rule.redefine(
        location_id=rule.location_id, metric=rule.metric, operator=rule.operator, threshold=30.0
    )
    assert rule.is_crossed
    rule.redefine(
        location_id=rule.location_id, metric=rule.metric, operator=rule.operator, threshold=35.0
    )
    assert not rule.is_crossed
    assert rule.evaluate(reading_of(rule, 1, temperature=40.0), raised_at=NOW) is not None


def test_a_delivered_alert_says_so() -> None:
    rule = a_rule(threshold=0.0)
    alert = rule.evaluate(reading_of(rule, 0, temperature=1.0), raised_at=NOW)
    assert alert is not None
    alert.mark_delivered()
    assert alert.delivered


@given(
    st.sampled_from(list(Operator)),
    st.floats(min_value=-50, max_value=50),
    st.lists(st.one_of(st.none(), st.floats(min_value=-60, max_value=60)), max_size=40),
)
def test_a_rule_raises_exactly_once_per_crossing_for_any_sequence(
    operator: Operator, threshold: float, values: list[float | None]
) -> None:
    rule = a_rule(operator=operator, threshold=threshold)
    raised = 0
    for minute, value in enumerate(values):
        reading = (
            reading_of(rule, minute)
            if value is None
            else reading_of(rule, minute, temperature=value)
        )
        raised += rule.evaluate(reading, raised_at=NOW) is not None

    beyond = [operator.holds(v, threshold) for v in values if v is not None]
    crossings = sum(1 for i, b in enumerate(beyond) if b and (i == 0 or not beyond[i - 1]))
    assert raised == crossings


@pytest.mark.parametrize(
    ("metric", "low", "high"),
    [
        (Metric.TEMPERATURE, -100.0, 70.0),
        (Metric.APPARENT_TEMPERATURE, -100.0, 70.0),
        (Metric.WIND_SPEED, 0.0, 500.0),
        (Metric.WIND_GUSTS, 0.0, 500.0),
        (Metric.PRECIPITATION, 0.0, 500.0),
        (Metric.RELATIVE_HUMIDITY, 0.0, 100.0),
    ],
)
def test_a_threshold_lies_within_its_metrics_physical_range(
    metric: Metric, low: float, high: float
) -> None:
    assert metric.threshold_range == (low, high)
    assert a_rule(metric=metric, threshold=low).threshold == low
    assert a_rule(metric=metric, threshold=high).threshold == high
    for outside in (low - 0.01, high + 0.01, 1e300, -1e300):
        with pytest.raises(InvalidInput) as raised:
            a_rule(metric=metric, threshold=outside)
        assert raised.value.field == "threshold"


@pytest.mark.parametrize("threshold", [math.inf, -math.inf, math.nan])
def test_a_threshold_is_a_finite_number(threshold: float) -> None:
    with pytest.raises(InvalidInput) as raised:
        a_rule(threshold=threshold)
    assert raised.value.field == "threshold"


def test_a_threshold_is_checked_when_assigned() -> None:
    rule = a_rule(metric=Metric.RELATIVE_HUMIDITY, threshold=90.0)
    with pytest.raises(InvalidInput):
        rule.threshold = 101.0
    assert rule.threshold == 90.0


def test_redefining_checks_the_threshold_against_the_new_metric_before_any_change() -> None:
    rule = a_rule(metric=Metric.WIND_GUSTS, operator=Operator.GT, threshold=200.0)
    with pytest.raises(InvalidInput) as raised:
        rule.redefine(
            location_id=rule.location_id,
            metric=Metric.TEMPERATURE,
            operator=Operator.LT,
            threshold=200.0,
        )
    assert raised.value.field == "threshold"
    assert (rule.metric, rule.operator, rule.threshold) == (Metric.WIND_GUSTS, Operator.GT, 200.0)

    rule.redefine(
        location_id=rule.location_id, metric="temperature", operator="lt", threshold=-30.0
    )
    assert (rule.metric, rule.threshold) == (Metric.TEMPERATURE, -30.0)
