"""The `Notifier` port: tells an alert rule's owner that it was raised (a webhook POST); and the
`WebhookTargets` port: whether a URL may be a webhook at all, asked when a rule is written.

One adapter answers both with one policy (what the delivery would refuse is refused at validation
too), so a rule cannot be accepted with a target its alerts will never reach, except when the
target changes afterwards (its name now resolves elsewhere): then the delivery refuses it, finally.
"""

from __future__ import annotations

from typing import Protocol

from domain.alerts import Alert
from domain.errors import DomainError


class DeliveryFailed(Exception):
    """The target could not take the alert now (unreachable, timed out, answered an error, its
    name could not be resolved for the moment); a later attempt may succeed, so the caller may
    retry."""


class DeliveryRefused(DomainError):
    """This deployment does not send to the target: not an http(s) URL, a name that does not
    resolve, or an address on a loopback or private network while those are not allowed.

    Final: retrying cannot help, only a change of the rule's webhook can. Not a `DeliveryFailed`,
    so nothing that retries those retries this.
    """


class Notifier(Protocol):
    def deliver(self, alert: Alert, webhook_url: str) -> None:
        """Send `alert` to `webhook_url`, or raise `DeliveryRefused` (final) or `DeliveryFailed`
        (transient)."""
        ...


class WebhookTargets(Protocol):
    def check(self, url: str) -> str | None:
        """Why `url` may not be a webhook target here, or None if it may: the very decision
        `Notifier.deliver` would take now (resolving the host included)."""
        ...
