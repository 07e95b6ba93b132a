"""Operational endpoints through the Django test client: health, OpenAPI documents, admin."""

from __future__ import annotations

import dataclasses

import pytest
from dependency_injector import providers
from django.test import Client
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from server_config.container import container


@dataclasses.dataclass
class Broker(HealthCheck):
    """Stands in for the real broker check; named like it so the view reports it as "broker"."""

    def run(self) -> None:
        raise ServiceUnavailable("connection refused")


def test_live_answers_ok(client: Client) -> None:
    response = client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_ready_checks_database_and_broker_through_the_container(client: Client) -> None:
    response = client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_ready_answers_503_naming_the_failing_check(client: Client) -> None:
    with container.readiness_checks.override(providers.Object([Broker()])):
        response = client.get("/health/ready")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"broker": "unavailable: connection refused"},
    }


def test_openapi_schema_is_served(client: Client) -> None:
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


@pytest.mark.django_db
def test_admin_login_page_is_served_and_no_default_account_exists(client: Client) -> None:
    from django.contrib.auth import get_user_model

    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert not get_user_model().objects.exists()
    assert not client.login(username="admin", password="admin")


def test_metrics_are_served_in_prometheus_text_format(client: Client) -> None:
    client.get("/health/live")

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert 'django_http_requests_total_by_method_total{method="GET"}' in body
    assert 'django_http_requests_latency_seconds_by_view_method_bucket{le="0.005"' in body
    # Declared by the adapters that count them, whichever process calls or runs them.
    for family in (
        "weather_provider_calls_total",
        "weather_provider_call_duration_seconds",
        "weather_task_runs_total",
        "weather_task_duration_seconds",
        "weather_task_queue_wait_seconds",
    ):
        assert f"# TYPE {family} " in body, family


def test_metrics_leave_out_the_families_and_series_nobody_reads(client: Client) -> None:
    client.get("/health/live")
    client.options("/api/v1/locations/")
    client.get("/admin/")
    client.delete("/health/live")  # 405

    body = client.get("/metrics").content.decode()

    assert "django_http_requests_total_by_transport" not in body
    assert "django_http_responses_body_total_bytes" not in body
    assert "django_http_requests_before_middlewares_total" not in body
    assert "_created" not in body
    assert 'view="admin:' not in body
    assert 'view="admin"' in body
    assert '{method="OPTIONS",status="200",view="api:location-list"}' in body  # counted…
    assert 'django_http_requests_latency_seconds_by_view_method_count{method="OPTIONS"' not in body
    # A refused method too: trying every method on every route adds no latency series.
    assert '{method="DELETE",status="405",view="health-live"}' in body
    latency = "django_http_requests_latency_seconds_by_view_method_count"
    assert f'{latency}{{method="DELETE",view="health-live"}}' not in body
