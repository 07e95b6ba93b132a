"""Webhook delivery against a local HTTP server: the POST, its failures, and the refusal of
internal targets — judged on the address actually connected to, after resolution. A failure is
retried by the delivery task; a refusal is final, recorded on the alert, and never retried."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime
from typing import Any

import pytest
from dependency_injector import providers
from pytest_httpserver import HTTPServer

from adapters.notifications.webhooks import WebhookNotifier
from adapters.tasks import tasks
from application.ports.notifier import DeliveryFailed, DeliveryRefused
from application.use_cases.register_location import RegisterLocationCommand
from domain.alerts import Alert, AlertRule, Metric, Operator
from server_config.container import container
from tests.support.accounts import an_account
from tests.support.builders import an_alert

NOW = datetime(2026, 11, 24, 14, 1, tzinfo=UTC)


def a_gust_alert(rule: AlertRule | None = None) -> Alert:
    """What a rule "wind gusts above 70 km/h" raised for a gust of 82.5 at 14:00."""
    return an_alert(
        rule,
        metric=Metric.WIND_GUSTS,
        operator=Operator.GT,
        threshold=70.0,
        value=82.5,
        observed_at=datetime(2026, 11, 24, 14, 0, tzinfo=UTC),
        raised_at=NOW,
    )


def resolving(mapping: dict[str, str]) -> Any:
    """A resolver that answers `mapping` (name → IP) and nothing else, like a hostile DNS."""

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        if host not in mapping:
            raise socket.gaierror(socket.EAI_NONAME, f"unknown host {host}")
        family = socket.AF_INET6 if ":" in mapping[host] else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (mapping[host], port))]

    return resolve


def test_posts_the_alert_as_json_to_an_allowed_target(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/hook", method="POST").respond_with_data("ok")
    alert = a_gust_alert()

    WebhookNotifier(allow_private=True, timeout_seconds=2).deliver(
        alert, httpserver.url_for("/hook")
    )

    [(request, _)] = httpserver.log
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.data) == {
        "id": str(alert.id),
        "rule_id": str(alert.rule_id),
        "location_id": str(alert.location_id),
        "metric": "wind_gusts",
        "value": 82.5,
        "threshold": 70.0,
        "operator": "gt",
        "observed_at": "2026-11-24T14:00:00Z",
        "raised_at": "2026-11-24T14:01:00Z",
        "delivered": False,
    }


def test_a_server_error_is_a_failed_delivery_that_names_the_status(httpserver: HTTPServer) -> None:
    """`test_notifier_contract.py` holds every notifier to `DeliveryFailed`; this one says why."""
    httpserver.expect_request("/hook").respond_with_data("down", status=500)

    with pytest.raises(DeliveryFailed, match="answered 500"):
        WebhookNotifier(allow_private=True).deliver(a_gust_alert(), httpserver.url_for("/hook"))


def test_a_redirect_is_not_followed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook").respond_with_data(
        "", status=307, headers={"Location": httpserver.url_for("/elsewhere")}
    )
    httpserver.expect_request("/elsewhere").respond_with_data("ok")

    with pytest.raises(DeliveryFailed, match="redirects are not followed"):
        WebhookNotifier(allow_private=True).deliver(a_gust_alert(), httpserver.url_for("/hook"))

    assert [request.path for request, _ in httpserver.log] == ["/hook"]


def test_a_hung_target_times_out() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/hook"
        with pytest.raises(DeliveryFailed, match="timed out"):
            WebhookNotifier(allow_private=True, timeout_seconds=0.3).deliver(a_gust_alert(), url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/hook",
        "http://[::1]:{port}/hook",
        "http://localhost:{port}/hook",
        "http://0x7f000001:{port}/hook",
        "http://2130706433:{port}/hook",
        "http://0177.0.0.1:{port}/hook",
        "http://127.1:{port}/hook",
    ],
)
def test_loopback_targets_are_refused_unless_allowed(httpserver: HTTPServer, url: str) -> None:
    httpserver.expect_request("/hook").respond_with_data("ok")

    with pytest.raises(DeliveryRefused, match="loopback or private"):
        WebhookNotifier(allow_private=False).deliver(
            a_gust_alert(), url.format(port=httpserver.port)
        )

    assert httpserver.log == []


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "169.254.169.254", "::ffff:127.0.0.1"]
)
def test_a_public_looking_name_resolving_to_an_internal_address_is_refused(address: str) -> None:
    notifier = WebhookNotifier(
        resolver=resolving({"hooks.example.com": address, "localhost.": address})
    )

    for url in ("https://hooks.example.com/alert", "http://localhost./alert"):
        with pytest.raises(DeliveryRefused, match="loopback or private"):
            notifier.deliver(a_gust_alert(), url)


def test_the_request_goes_to_the_address_checked_with_the_name_as_host(
    httpserver: HTTPServer,
) -> None:
    """Resolved once, connected to that address: a second DNS answer cannot redirect it."""
    httpserver.expect_request("/hook").respond_with_data("ok")
    answers = iter(["127.0.0.1", "203.0.113.9"])  # a rebinding DNS would change its answer

    def rebinding(host: str, port: int, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    notifier = WebhookNotifier(allow_private=True, timeout_seconds=2, resolver=rebinding)
    notifier.deliver(a_gust_alert(), f"http://hooks.example.com:{httpserver.port}/hook")

    [(request, _)] = httpserver.log
    assert request.headers["Host"] == f"hooks.example.com:{httpserver.port}"


def test_a_name_with_one_internal_address_among_public_ones_is_refused() -> None:
    def mixed(host: str, port: int, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        ]

    with pytest.raises(DeliveryRefused, match="loopback or private"):
        WebhookNotifier(resolver=mixed).deliver(a_gust_alert(), "http://hooks.example.com/")


@pytest.mark.parametrize("url", ["ftp://example.com/hook", "file:///etc/passwd", "not a url"])
def test_only_http_and_https_targets_are_accepted(url: str) -> None:
    with pytest.raises(DeliveryRefused, match="http or https"):
        WebhookNotifier(allow_private=True).deliver(a_gust_alert(), url)


def test_a_name_that_does_not_resolve_is_refused_for_good() -> None:
    with pytest.raises(DeliveryRefused, match="does not resolve"):
        WebhookNotifier(resolver=resolving({})).deliver(
            a_gust_alert(), "http://hooks.example.invalid/"
        )


# --- through the delivery task (Celery's eager path, retries included) --------------------------


def stored_alert(webhook_url: str) -> Alert:
    """A rule with `webhook_url` (valid when it was written) and an alert it raised, stored."""
    command = RegisterLocationCommand(name="Samara", latitude=53.2, longitude=50.15)
    location_id = container.register_location().execute(command).id
    owner_id = str(an_account("owner").pk)  # a rule belongs to a user account
    rule = AlertRule(
        owner_id=owner_id,
        location_id=location_id,
        metric="wind_gusts",
        operator="gt",
        threshold=70.0,
        webhook_url=webhook_url,
        created_at=NOW,
    )
    alert = a_gust_alert(rule)
    with container.unit_of_work() as uow:
        uow.alerts.add_rule(rule)
        uow.alerts.add_alerts([alert])
        uow.commit()
    return alert


def reloaded(alert: Alert) -> Alert:
    with container.unit_of_work() as uow:
        stored = uow.alerts.get_alert(alert.id)
    assert stored is not None
    return stored


@pytest.mark.django_db
def test_a_delivery_to_a_refused_target_is_attempted_once_and_the_alert_records_why(
    httpserver: HTTPServer,
) -> None:
    """The rule's name resolved to a public address when it was written; it now resolves to the
    loopback: the task fails at once (no retry can change that) and the alert says why."""
    httpserver.expect_request("/hook").respond_with_data("ok")
    lookups: list[str] = []
    now_loopback = resolving({"hooks.example.com": "127.0.0.1"})

    def rebound(host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        lookups.append(host)
        return now_loopback(host, port)

    alert = stored_alert(f"http://hooks.example.com:{httpserver.port}/hook")
    with container.notifier.override(providers.Object(WebhookNotifier(resolver=rebound))):
        outcome = tasks.deliver_alert.apply(args=(str(alert.id),))

    assert outcome.failed()
    assert str(outcome.result).startswith("DeliveryRefused: webhook host hooks.example.com")
    assert lookups == ["hooks.example.com"]  # one attempt: not retried
    assert httpserver.log == []
    stored = reloaded(alert)
    assert not stored.delivered
    assert stored.delivery_error == (
        "webhook host hooks.example.com resolves to 127.0.0.1, a loopback or private address;"
        " refused"
    )


@pytest.mark.django_db
def test_a_delivery_to_a_failing_target_is_retried_and_records_no_refusal(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/hook").respond_with_data("busy", status=503)
    alert = stored_alert(httpserver.url_for("/hook"))
    notifier = WebhookNotifier(allow_private=True, timeout_seconds=2)
    with container.notifier.override(providers.Object(notifier)):
        outcome = tasks.deliver_alert.apply(args=(str(alert.id),))

    assert outcome.failed()
    assert "answered 503" in str(outcome.result)
    assert len(httpserver.log) == tasks.deliver_alert.max_retries + 1
    stored = reloaded(alert)
    assert (stored.delivered, stored.delivery_error) == (False, None)
