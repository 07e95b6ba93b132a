"""The Grafana dashboard (docker/grafana/f-brain-dashboard.json) is a dashboard Grafana can load,
with the panels an operator needs, and asks only for series this project's ``/metrics`` exports:
every metric name in its PromQL is read against a real scrape of the application."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from tests.support.processes import PROJECT_DIR

DASHBOARD = PROJECT_DIR / "docker" / "grafana" / "f-brain-dashboard.json"
PANELS = {
    "Refresh success rate",
    "Provider failures by provider",
    "Task latency p95",
    "API latency p95",
    "Queue wait p95",
}
#: PromQL's own words that can appear outside selectors in the dashboard's expressions.
PROMQL_WORDS = {
    "sum",
    "rate",
    "irate",
    "increase",
    "histogram_quantile",
    "by",
    "without",
    "max",
    "min",
    "avg",
    "count",
    "clamp_min",
    "topk",
}
SUFFIXES = {
    "counter": ("_total",),
    "histogram": ("_bucket", "_sum", "_count"),
    "gauge": ("",),
    "summary": ("_sum", "_count", ""),
}


@pytest.fixture(scope="module")
def dashboard() -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return parsed


def expressions(dashboard: dict[str, Any]) -> list[str]:
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def metric_names(expression: str) -> set[str]:
    """The metric names of a PromQL expression: what is left once strings, label matchers,
    ranges, grouping clauses, numbers and PromQL's words are taken out."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"', "", expression)
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"\[[^\]]*\]", " ", text)
    text = re.sub(r"\b(by|without)\s*\([^)]*\)", " ", text)
    words = set(re.findall(r"[A-Za-z_:][A-Za-z0-9_:]*", text))
    return words - PROMQL_WORDS


def exported_series(client: Client) -> set[str]:
    body = client.get("/metrics").content.decode()
    return {
        family.name + suffix
        for family in text_string_to_metric_families(body)
        for suffix in SUFFIXES.get(family.type, ("",))
    }


def test_the_dashboard_has_the_operators_panels_on_a_chosen_prometheus(
    dashboard: dict[str, Any],
) -> None:
    assert dashboard["uid"] == "f-brain-backend"
    assert isinstance(dashboard["schemaVersion"], int)
    assert {panel["title"] for panel in dashboard["panels"]} >= PANELS
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["type"] == "datasource"
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}, panel["title"]
        assert panel["targets"], panel["title"]
        assert set(panel["gridPos"]) == {"h", "w", "x", "y"}, panel["title"]


def test_every_metric_the_dashboard_asks_for_is_exported(
    dashboard: dict[str, Any], client: Client
) -> None:
    exported = exported_series(client)
    asked = set().union(*(metric_names(e) for e in expressions(dashboard)))

    assert asked, "no metric name found in the dashboard"
    assert asked <= exported, sorted(asked - exported)
    for expression in expressions(dashboard):
        assert expression.count("(") == expression.count(")"), expression


def test_the_name_reader_finds_metric_names_and_nothing_else() -> None:
    assert metric_names(
        'histogram_quantile(0.95, sum by (le, view) (rate(x_bucket{view=~"api:.*"}[5m])))'
        " / sum(rate(y_total[$__rate_interval]))"
    ) == {"x_bucket", "y_total"}
