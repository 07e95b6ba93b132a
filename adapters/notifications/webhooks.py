"""`WebhookNotifier`: the `Notifier` port as a JSON POST to the alert rule's webhook, and the
`WebhookTargets` port by the same policy (`targets.py`), so what a delivery would refuse is refused
when the rule is written.

What must not happen here is the server being aimed at its own network (SSRF). The policy
resolves the host name **once**, checks every resolved address, and the request then connects to
that very address (the host name still goes in the ``Host`` header and the TLS SNI/certificate
check). A DNS answer that changes between the check and the connection (DNS rebinding) therefore
cannot redirect the request, and the peer address of the open socket is checked once more before
a byte is sent. Redirects are never followed: a 3xx is a failed delivery.

A target the policy refuses raises `DeliveryRefused`, which is final (the delivery records why and
is not retried); a target that cannot be reached or answers an error raises `DeliveryFailed`,
which the delivery task retries.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import logging
import socket
import ssl

from adapters.notifications.targets import (
    IPAddress,
    Resolver,
    WebhookTarget,
    WebhookTargetPolicy,
)
from application.ports.notifier import DeliveryFailed, DeliveryRefused
from domain.alerts import Alert

logger = logging.getLogger(__name__)

USER_AGENT = "f-brain-backend-webhooks/1"
MAX_RESPONSE_BYTES = 64 * 1024


def alert_payload(alert: Alert) -> dict[str, object]:
    """The alert as the REST API shows it (CONTRACT §4), so a receiver sees one shape."""
    return {
        "id": str(alert.id),
        "rule_id": str(alert.rule_id),
        "location_id": str(alert.location_id),
        "metric": alert.metric.value,
        "value": alert.value,
        "threshold": alert.threshold,
        "operator": alert.operator.value,
        "observed_at": _iso(alert.observed_at.isoformat()),
        "raised_at": _iso(alert.raised_at.isoformat()),
        "delivered": alert.delivered,
    }


def _iso(value: str) -> str:
    return value.removesuffix("+00:00") + "Z" if value.endswith("+00:00") else value


class WebhookNotifier:
    """Delivers to the targets its `WebhookTargetPolicy` allows, and answers `check` (the
    `WebhookTargets` port) with that same policy."""

    def __init__(
        self,
        *,
        timeout_seconds: float = 5.0,
        allow_private: bool = False,
        resolver: Resolver = socket.getaddrinfo,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._timeout = timeout_seconds
        self._targets = WebhookTargetPolicy(allow_private=allow_private, resolver=resolver)
        self._ssl_context = ssl_context

    def check(self, url: str) -> str | None:
        return self._targets.check(url)

    def deliver(self, alert: Alert, webhook_url: str) -> None:
        target = self._targets.target(webhook_url)
        host = target.host
        body = json.dumps(alert_payload(alert)).encode()
        connection = self._connection(target)
        try:
            connection.request(
                "POST",
                target.path,
                body=body,
                headers={
                    "Content-Type": "application/json",
                    "User-Agent": USER_AGENT,
                    "Accept": "*/*",
                },
            )
            response = connection.getresponse()
            response.read(MAX_RESPONSE_BYTES)
        except _Refused as refused:
            raise DeliveryRefused(str(refused)) from None
        except (OSError, http.client.HTTPException) as error:
            reason = "timed out" if isinstance(error, TimeoutError) else type(error).__name__
            raise DeliveryFailed(f"webhook {host} could not be reached: {reason}") from None
        finally:
            connection.close()
        if 300 <= response.status < 400:
            raise DeliveryFailed(
                f"webhook {host} answered {response.status} (redirects are not followed)"
            )
        if not 200 <= response.status < 300:
            raise DeliveryFailed(f"webhook {host} answered {response.status}")
        logger.info("Alert %s delivered to %s (%s)", alert.id, host, response.status)

    def _connection(self, target: WebhookTarget) -> http.client.HTTPConnection:
        guard = _PeerGuard(target.address, self._targets)
        if target.scheme == "https":
            context = self._ssl_context or ssl.create_default_context()
            return _PinnedHTTPSConnection(
                target.host, target.port, guard=guard, timeout=self._timeout, context=context
            )
        return _PinnedHTTPConnection(target.host, target.port, guard=guard, timeout=self._timeout)


class _Refused(OSError):
    """The socket ended up somewhere it must not go."""


class _PeerGuard:
    """Opens the TCP connection to the checked address and re-checks the socket's peer."""

    def __init__(self, address: IPAddress, policy: WebhookTargetPolicy) -> None:
        self.address = address
        self.policy = policy

    def open(self, port: int, timeout: float | None) -> socket.socket:
        sock = socket.create_connection((str(self.address), port), timeout=timeout)
        try:
            peer = ipaddress.ip_address(str(sock.getpeername()[0]).split("%", 1)[0])
            if peer != self.address or not self.policy.allows(peer):
                raise _Refused(f"webhook connection went to {peer}; refused")
        except BaseException:
            sock.close()
            raise
        return sock


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to a fixed address; `host` is only the Host header."""

    def __init__(self, host: str, port: int, *, guard: _PeerGuard, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._guard = guard

    def connect(self) -> None:
        self.sock = self._guard.open(self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a fixed address; `host` is the Host header, the SNI and the certificate name."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        guard: _PeerGuard,
        timeout: float,
        context: ssl.SSLContext,
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._guard = guard
        self._tls = context

    def connect(self) -> None:
        sock = self._guard.open(self.port, self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)
