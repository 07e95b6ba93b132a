"""Which webhook targets the deployment takes: one policy, asked when a rule is written and before
every delivery, that parses the URL as the HTTP client does and resolves its host as the delivery
does. No test needs the internet: numeric hosts are parsed locally by the real `getaddrinfo`, and
names go through a resolver that answers from a table."""

from __future__ import annotations

import socket
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from adapters.notifications.targets import WebhookTargetPolicy
from adapters.notifications.webhooks import WebhookNotifier
from application.ports.notifier import DeliveryFailed, DeliveryRefused, WebhookTargets
from application.use_cases.create_alert_rule import CreateAlertRule, CreateAlertRuleCommand
from domain.errors import InvalidInput
from tests.support.builders import OWNER, a_location, an_alert
from tests.support.core import Core, a_core

#: Every spelling of an internal address that the resolver (inet_aton) takes, a loopback name,
#: and a name that does not resolve (a reserved TLD): all refused when private targets are not.
INTERNAL = [
    "http://0x7f000001/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://127.0.0.1:8080/hook",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://0/",
    "http://10.1/",
    "http://0xa9.0xfe.0xa9.0xfe/latest/meta-data/",  # 169.254.169.254
    "http://localhost/",
]
PUBLIC = ["http://93.184.216.34/hook", "https://8.8.8.8:8443/a?b=c", "https://[2001:4860::8888]/"]


def offline(names: Mapping[str, Sequence[str]]) -> Any:
    """`getaddrinfo` without the network: numeric hosts exactly as it parses them
    (``AI_NUMERICHOST``: every inet_aton spelling), `names` from the table, and any other name
    does not exist (``EAI_NONAME``, as for a reserved TLD such as ``.invalid``)."""

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        if host in names:
            return [answer(address, port) for address in names[host]]
        try:
            return socket.getaddrinfo(
                host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
            )
        except socket.gaierror:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None

    return resolve


def answer(address: str, port: int) -> tuple[Any, ...]:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    return (family, socket.SOCK_STREAM, 6, "", (address, port))


TABLE = {
    "localhost": ["127.0.0.1", "::1"],
    "hooks.example.com": ["93.184.216.34"],
    "rebound.example.com": ["10.0.0.7"],
}


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_targets_are_refused_whatever_their_spelling(url: str) -> None:
    """The real resolver's reading of the host, as the delivery connects to it."""
    reason = WebhookTargetPolicy().check(url)
    assert reason is not None
    assert "loopback or private" in reason


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_targets_are_accepted_when_private_targets_are_allowed(url: str) -> None:
    assert WebhookTargetPolicy(allow_private=True).check(url) is None


@pytest.mark.parametrize("url", PUBLIC)
def test_public_addresses_are_accepted(url: str) -> None:
    assert WebhookTargetPolicy().check(url) is None


def test_the_refusal_names_the_address_the_host_means() -> None:
    assert WebhookTargetPolicy().check("http://0x7f000001/") == (
        "webhook host 0x7f000001 resolves to 127.0.0.1, a loopback or private address; refused"
    )


@pytest.mark.parametrize("allow_private", [False, True])
def test_a_name_that_does_not_resolve_is_refused(allow_private: bool) -> None:
    policy = WebhookTargetPolicy(allow_private=allow_private, resolver=offline(TABLE))
    reason = policy.check("https://hooks.nowhere.invalid/alert")
    assert reason is not None
    assert reason.startswith("webhook host hooks.nowhere.invalid does not resolve")


def test_a_name_is_judged_by_every_address_it_resolves_to() -> None:
    policy = WebhookTargetPolicy(
        resolver=offline({**TABLE, "mixed.example.com": ["93.184.216.34", "192.168.1.2"]})
    )
    assert policy.check("https://hooks.example.com/alert") is None
    assert "192.168.1.2" in str(policy.check("https://mixed.example.com/alert"))
    assert "10.0.0.7" in str(policy.check("https://rebound.example.com/alert"))


@pytest.mark.parametrize(
    "url", ["ftp://93.184.216.34/hook", "file:///etc/passwd", "not a url", "http://[::1/"]
)
def test_only_absolute_http_urls_are_targets(url: str) -> None:
    reason = WebhookTargetPolicy(allow_private=True).check(url)
    assert reason is not None
    assert "http or https" in reason or "not a valid URL" in reason


def test_a_resolver_that_cannot_answer_now_is_transient_at_delivery_and_refused_at_validation() -> (
    None
):
    def unavailable(host: str, port: int, *args: Any, **kwargs: Any) -> list[tuple[Any, ...]]:
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    policy = WebhookTargetPolicy(resolver=unavailable)
    with pytest.raises(DeliveryFailed, match="could not be resolved"):
        policy.target("https://hooks.example.com/alert")
    assert "could not be resolved" in str(policy.check("https://hooks.example.com/alert"))


@pytest.mark.parametrize("url", [*INTERNAL, "https://hooks.nowhere.invalid/alert"])
def test_the_delivery_refuses_exactly_what_validation_refuses(url: str) -> None:
    """Same notifier, same answer: its `check` is the reason its `deliver` refuses with, and
    that refusal is final (not a `DeliveryFailed`, which the task would retry)."""
    notifier = WebhookNotifier(resolver=offline(TABLE))
    reason = notifier.check(url)
    with pytest.raises(DeliveryRefused) as refused:
        notifier.deliver(an_alert(), url)
    assert str(refused.value) == reason
    assert not isinstance(refused.value, DeliveryFailed)


def creating(targets: WebhookTargets) -> tuple[Core, Any]:
    core = a_core()
    location = a_location()
    core.add(location)
    use_case = CreateAlertRule(core.uow, core.clock, webhook_targets=targets)

    def create(url: str) -> Any:
        command = CreateAlertRuleCommand(
            owner_id=OWNER,
            location_id=location.id,
            metric="temperature",
            operator="gt",
            threshold=30.0,
            webhook_url=url,
        )
        return use_case.execute(command)

    return core, create


@pytest.mark.parametrize("url", [*INTERNAL, "http://hooks.nowhere.invalid/"])
def test_creating_a_rule_refuses_the_target_as_its_webhook_url_field(url: str) -> None:
    core, create = creating(WebhookNotifier(resolver=offline(TABLE)))
    with pytest.raises(InvalidInput) as raised:
        create(url)
    assert raised.value.field == "webhook_url"
    assert core.store.alerts.rules == {}


def test_creating_a_rule_accepts_a_public_target_and_a_private_one_only_when_allowed() -> None:
    _, create = creating(WebhookNotifier(resolver=offline(TABLE)))
    assert create("https://hooks.example.com/alert").webhook_url == (
        "https://hooks.example.com/alert"
    )
    _, create_allowing_private = creating(
        WebhookNotifier(allow_private=True, resolver=offline(TABLE))
    )
    assert create_allowing_private("http://127.1:9000/").webhook_url == "http://127.1:9000/"
