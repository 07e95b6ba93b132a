"""`WebhookTargetPolicy`: which URLs this deployment sends alerts to, decided one way for the
validation of a rule and for every delivery.

Both go through `WebhookTargetPolicy.target`: the URL is split as the HTTP client uses it
(`urllib.parse.urlsplit`: scheme, host name, port, path), and the host is resolved with
`socket.getaddrinfo`, the very call whose answer the delivery connects to. So every spelling the
resolver takes for an address (``0x7f000001``, ``2130706433``, ``0177.0.0.1``, ``127.1``,
``[::ffff:127.0.0.1]``) is judged by the address it means, not by how it looks, and a name that
does not resolve is refused when the rule is written, not only when an alert is due.

What must not happen is the server being aimed at its own network (SSRF): unless private targets
are allowed (``ALERT_WEBHOOK_ALLOW_PRIVATE``), a target is refused when *any* of its addresses is
not public. A refusal is final (`DeliveryRefused`); a resolver that cannot answer for the moment
(``EAI_AGAIN`` and the like) is a transient `DeliveryFailed`, which the delivery retries.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

import attrs

from application.ports.notifier import DeliveryFailed, DeliveryRefused

Resolver = Callable[..., Sequence[tuple[Any, ...]]]
"""`socket.getaddrinfo`'s signature; tests substitute a resolver that maps names as they wish."""

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

NAME_UNKNOWN = frozenset(
    code
    for code in (getattr(socket, "EAI_NONAME", None), getattr(socket, "EAI_NODATA", None))
    if code is not None
)
"""The resolver's answers meaning "this name has no address" (as opposed to "cannot tell now")."""


def is_internal(address: IPAddress) -> bool:
    """Loopback, private, link-local, reserved, multicast, unspecified — anything not public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not address.is_global or address.is_multicast or address.is_unspecified


@attrs.frozen(kw_only=True)
class WebhookTarget:
    """Where a delivery goes: the URL's parts as the HTTP client uses them, and the one checked
    address it connects to (the host name is only the Host header, SNI and certificate name)."""

    scheme: str
    host: str
    port: int
    path: str
    address: IPAddress


class WebhookTargetPolicy:
    """The `WebhookTargets` port, and what `WebhookNotifier` asks before it opens a connection."""

    def __init__(
        self, *, allow_private: bool = False, resolver: Resolver = socket.getaddrinfo
    ) -> None:
        self._allow_private = allow_private
        self._resolve = resolver

    def check(self, url: str) -> str | None:
        try:
            self.target(url)
        except (DeliveryRefused, DeliveryFailed) as refusal:
            return str(refusal)
        return None

    def allows(self, address: IPAddress) -> bool:
        return self._allow_private or not is_internal(address)

    def target(self, url: str) -> WebhookTarget:
        """The target `url` names, resolved and checked; `DeliveryRefused` when it may not be one,
        `DeliveryFailed` when its name cannot be resolved for the moment."""
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError:
            raise DeliveryRefused("the webhook URL is not a valid URL") from None
        if parts.scheme not in ("http", "https") or not host:
            raise DeliveryRefused("the webhook URL must be an absolute http or https URL")
        port = port or (443 if parts.scheme == "https" else 80)
        return WebhookTarget(
            scheme=parts.scheme,
            host=host,
            port=port,
            path=(parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
            address=self._checked_address(host, port),
        )

    def _checked_address(self, host: str, port: int) -> IPAddress:
        """The one address the request will go to, after checking every address of the name.

        Refusing when *any* address is internal (not just the chosen one) keeps a name with a
        public and a private record from being a coin toss.
        """
        try:
            answers = self._resolve(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            if error.errno in NAME_UNKNOWN:
                raise DeliveryRefused(f"webhook host {host} does not resolve: {error}") from None
            raise DeliveryFailed(f"webhook host {host} could not be resolved: {error}") from None
        except UnicodeError as error:  # not a name the resolver can encode (IDNA)
            raise DeliveryRefused(f"webhook host {host} is not a valid name: {error}") from None
        except OSError as error:
            raise DeliveryFailed(f"webhook host {host} could not be resolved: {error}") from None
        addresses: list[IPAddress] = []
        for *_, sockaddr in answers:
            try:
                addresses.append(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]))
            except ValueError:
                continue
        if not addresses:
            raise DeliveryRefused(f"webhook host {host} has no address")
        refused = [address for address in addresses if not self.allows(address)]
        if refused:
            raise DeliveryRefused(
                f"webhook host {host} resolves to {refused[0]}, a loopback or private address;"
                " refused"
            )
        return addresses[0]
