"""The `Notifier` contract (with its `WebhookTargets` side), written once and run against every
implementation: the `WebhookNotifier` posting to a local HTTP server (pytest-httpserver), and the
`RecordingNotifier` fake the unit tests rely on, so that the fake cannot promise what the real
delivery does not keep. The promises: an alert reaches its target once; a target that answers an
error is a failed delivery (`DeliveryFailed`, worth retrying); a target the deployment does not
send to (one on a private network) is refused for good (`DeliveryRefused`), never reached, and
`check` gives the very reason the delivery refuses it with.

The real notifier is built twice, as deployments configure it: allowing private targets (as in
development, so that it can reach the local server) and refusing them (as in production).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import attrs
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from adapters.notifications.webhooks import WebhookNotifier
from application.ports.notifier import DeliveryFailed, DeliveryRefused
from tests.support.builders import an_alert
from tests.support.fakes.notifier import RecordingNotifier

WebhookDelivery = WebhookNotifier | RecordingNotifier


@attrs.frozen
class Subject:
    """A notifier under test, the same as a deployment that refuses private targets configures
    it, a target it delivers to and a private one, how to make the target answer errors, and the
    ids of the alerts the targets accepted."""

    notifier: WebhookDelivery
    refusing_private: WebhookDelivery
    target: str
    private_target: str
    break_target: Callable[[], None]
    accepted: Callable[[], list[str]]


def local_server(httpserver: HTTPServer) -> Subject:
    answering = {"status": 200}

    def respond(request: Request) -> Response:
        return Response("ok", status=answering["status"])

    httpserver.expect_request("/hook", method="POST").respond_with_handler(respond)

    def accepted() -> list[str]:
        return [
            json.loads(request.data)["id"]
            for request, response in httpserver.log
            if 200 <= response.status_code < 300
        ]

    return Subject(
        notifier=WebhookNotifier(allow_private=True, timeout_seconds=2),
        refusing_private=WebhookNotifier(allow_private=False, timeout_seconds=2),
        target=httpserver.url_for("/hook"),
        private_target=f"http://127.0.0.1:{httpserver.port}/hook",
        break_target=lambda: answering.update(status=503),
        accepted=accepted,
    )


def recording() -> Subject:
    fake = RecordingNotifier()
    private = "http://127.0.0.1:9000/hook"
    fake.refuse(private)
    return Subject(
        notifier=fake,
        refusing_private=fake,
        target="https://hooks.example.com/alert",
        private_target=private,
        break_target=fake.fail,
        accepted=lambda: [str(alert.id) for alert, _ in fake.delivered],
    )


@pytest.fixture(params=["webhook notifier", "recording fake"])
def subject(request: pytest.FixtureRequest, httpserver: HTTPServer) -> Subject:
    return local_server(httpserver) if request.param == "webhook notifier" else recording()


def test_an_alert_reaches_its_target_once(subject: Subject) -> None:
    alert = an_alert()

    subject.notifier.deliver(alert, subject.target)

    assert subject.accepted() == [str(alert.id)]


def test_a_target_it_delivers_to_passes_its_check(subject: Subject) -> None:
    assert subject.notifier.check(subject.target) is None


def test_a_target_that_answers_an_error_is_a_failed_delivery_worth_retrying(
    subject: Subject,
) -> None:
    subject.break_target()

    with pytest.raises(DeliveryFailed):
        subject.notifier.deliver(an_alert(), subject.target)

    assert subject.accepted() == []


def test_a_private_target_is_refused_for_good_never_reached_and_for_the_reason_check_gives(
    subject: Subject,
) -> None:
    reason = subject.refusing_private.check(subject.private_target)

    with pytest.raises(DeliveryRefused) as refused:
        subject.refusing_private.deliver(an_alert(), subject.private_target)

    assert reason is not None
    assert str(refused.value) == reason
    assert not isinstance(refused.value, DeliveryFailed)
    assert subject.accepted() == []
