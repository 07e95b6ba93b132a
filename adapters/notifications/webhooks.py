"""`WebhookNotifier`: the `Notifier` port as a JSON POST to the alert rule's webhook.

What must not happen here is the server being aimed at its own network (SSRF). The domain only
refuses literal private addresses in the URL; this adapter resolves the host name **once**, checks
every resolved address, and then connects to that very address (the host name still goes in the
``Host`` header and the TLS SNI/certificate check). A DNS answer that changes between the check and
the connection (DNS rebinding) therefore cannot redirect the request, and the peer address of the
open socket is checked once more before a byte is sent. Redirects are never followed: a 3xx is a
failed delivery. Every failure raises `DeliveryFailed`, which the delivery task retries.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import logging
import socket
import ssl
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from application.ports.notifier import DeliveryFailed
from domain.alerts import Alert

logger = logging.getLogger(__name__)

Resolver = Callable[..., Sequence[tuple[Any, ...]]]
"""`socket.getaddrinfo`'s signature; tests substitute a resolver that maps names as they wish."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

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


def is_internal(address: IPAddress) -> bool:
    """Loopback, private, link-local, reserved, multicast, unspecified — anything not public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast or address.is_unspecified


class WebhookNotifier:
    def __init__(
        self,
        *,
        timeout_seconds: float = 5.0,
        allow_private: bool = False,
        resolver: Resolver = socket.getaddrinfo,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self._timeout = timeout_seconds
        self._allow_private = allow_private
        self._resolve = resolver
        self._ssl_context = ssl_context

    def deliver(self, alert: Alert, webhook_url: str) -> None:
        try:
            parts = urlsplit(webhook_url)
            host, port = parts.hostname, parts.port
        except ValueError:
            raise DeliveryFailed("the webhook URL is not a valid URL") from None
        if parts.scheme not in ("http", "https") or not host:
            raise DeliveryFailed("the webhook URL must be an absolute http or https URL")
        port = port or (443 if parts.scheme == "https" else 80)
        address = self._checked_address(host, port)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        body = json.dumps(alert_payload(alert)).encode()
        connection = self._connection(parts.scheme, host, port, address)
        try:
            connection.request(
                "POST",
                path,
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
            raise DeliveryFailed(str(refused)) from None
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

    def _checked_address(self, host: str, port: int) -> IPAddress:
        """The one address the request will go to, after checking every address of the name.

        Refusing when *any* address is internal (not just the chosen one) keeps a name with a
        public and a private record from being a coin toss.
        """
        try:
            answers = self._resolve(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            raise DeliveryFailed(f"webhook host {host} does not resolve: {error}") from None
        addresses: list[IPAddress] = []
        for *_, sockaddr in answers:
            try:
                addresses.append(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]))
            except ValueError:
                continue
        if not addresses:
            raise DeliveryFailed(f"webhook host {host} has no address")
        if not self._allow_private and any(is_internal(address) for address in addresses):
            raise DeliveryFailed(
                f"webhook host {host} resolves to a loopback or private address; refused"
            )
        return addresses[0]

    def _connection(
        self, scheme: str, host: str, port: int, address: IPAddress
    ) -> http.client.HTTPConnection:
        guard = _PeerGuard(address, allow_private=self._allow_private)
        if scheme == "https":
            context = self._ssl_context or ssl.create_default_context()
            return _PinnedHTTPSConnection(
                host, port, guard=guard, timeout=self._timeout, context=context
            )
        return _PinnedHTTPConnection(host, port, guard=guard, timeout=self._timeout)


class _Refused(OSError):
    """The socket ended up somewhere it must not go."""


class _PeerGuard:
    """Opens the TCP connection to the checked address and re-checks the socket's peer."""

    def __init__(self, address: IPAddress, *, allow_private: bool) -> None:
        self.address = address
        self.allow_private = allow_private

    def open(self, port: int, timeout: float | None) -> socket.socket:
        sock = socket.create_connection((str(self.address), port), timeout=timeout)
        try:
            peer = ipaddress.ip_address(str(sock.getpeername()[0]).split("%", 1)[0])
            if peer != self.address or (not self.allow_private and is_internal(peer)):
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
