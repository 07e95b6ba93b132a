"""The errors the core raises on purpose, as one small hierarchy.

Adapters translate these classes, never their messages: `NotFound` → 404, `Forbidden` → 403,
`Conflict` → 409, `InvalidInput` → 400, `ProviderUnavailable`, `StorageUnavailable` and
`QueueUnavailable` → 503 (the command line: exit code 2 for `NotFound`, `Forbidden`, `Conflict`
and `InvalidInput`, the user's to fix; 1 for the outages). Anything else that escapes the core
is a bug.
"""

from __future__ import annotations

from collections.abc import Sequence


class DomainError(Exception):
    """Base of every deliberate error, so an adapter can catch the family in one place."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The thing asked for does not exist, or is not the caller's to see."""

    def __init__(self, resource: str, identifier: object) -> None:
        super().__init__(f"{resource} {identifier} was not found.")
        self.resource = resource
        self.identifier = identifier


class Forbidden(DomainError):
    """The caller is known and the thing exists, but changing it is not theirs to do (a location
    that someone else registered, say). Raised before anything is written."""


class Conflict(DomainError):
    """The request is valid but would break a uniqueness rule of the stored state."""


class InvalidInput(DomainError, ValueError):
    """A value breaks an invariant; `field` names it so clients can point at the culprit.

    It is also a `ValueError`, so code that validates with attrs or the standard library keeps
    working when it catches the built-in.
    """

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason

    @property
    def errors(self) -> dict[str, list[str]]:
        """The problem-details `errors` member: field name → messages."""
        return {self.field: [self.reason]}


class ProviderUnavailable(DomainError):
    """An upstream weather, geocoding or archive service could not give a usable answer."""

    def __init__(self, provider: str, reason: str) -> None:
        super().__init__(f"{provider} is unavailable: {reason}")
        self.provider = provider
        self.reason = reason


class AllProvidersUnavailable(ProviderUnavailable):
    """Every provider in the fallback order failed; `failures` keeps each one's reason."""

    def __init__(self, failures: Sequence[ProviderUnavailable]) -> None:
        names = ", ".join(failure.provider for failure in failures) or "no provider"
        reasons = "; ".join(str(failure) for failure in failures) or "none is configured"
        super().__init__(names, f"every weather provider failed ({reasons})")
        self.failures = tuple(failures)


class StorageUnavailable(DomainError):
    """The database (or whatever stores the state) cannot be reached right now."""


class QueueUnavailable(DomainError):
    """Work cannot be queued right now: the message broker cannot be reached."""
