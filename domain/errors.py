"""The errors the core raises on purpose, as one small hierarchy.

Adapters translate these classes, never their messages: `NotFound` → 404, `Forbidden` → 403,
`Conflict` → 409, `InvalidInput` → 400, `ProviderUnavailable`, `StorageUnavailable` and
`QueueUnavailable` → 503 (the command line: exit code 2 for `NotFound`, `Forbidden`, `Conflict`
and `InvalidInput`, the user's to fix; 1 for the outages). Anything else that escapes the core
is a bug.

A message is a template and its parameters, `InvalidInput("hours", "must be between {low} and
{high}.", low=1, high=384)`: `message` (and `str()`) is the English text, as the core has always
written it. The core translates nothing; an adapter that answers in another language passes its
gettext to `render`, which looks the English template up and formats the translation with the
same parameters (the message catalogue holds each template once, whatever the values). So a
template is a literal at its raise site, where the catalogue's extraction finds it, and every
value that varies is a parameter, never part of the template.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence

logger = logging.getLogger(__name__)

#: A gettext: the English template in, the same template in some language out.
Translate = Callable[[str], str]


def as_written(template: str) -> str:
    """The `Translate` of the core: English, as the template is written."""
    return template


def translatable(template: str) -> str:
    """Marks a template that is not written at a raise site, for the catalogue's extraction."""
    return template


def formatted(template: str, params: Mapping[str, object], translate: Translate) -> str:
    """`template` in `translate`'s language, with `params` in it. A template without parameters
    is its own text (braces in it are not read), and a translation whose placeholders do not
    fit the parameters gives the English text rather than an error (a test of the catalogue
    keeps them from ever drifting)."""
    if not params:
        return translate(template)
    translated = translate(template)
    try:
        return translated.format_map(params)
    except (KeyError, IndexError, ValueError):
        if translated == template:
            raise
        logger.warning("translation of %r does not fit its parameters", template)
        return template.format_map(params)


class DomainError(Exception):
    """Base of every deliberate error, so an adapter can catch the family in one place."""

    def __init__(self, template: str, /, **params: object) -> None:
        self.template = template
        self.params: dict[str, object] = params
        self.message = self.render()
        super().__init__(self.message)

    def render(self, translate: Translate = as_written) -> str:
        """The message in the language of `translate` (English without it)."""
        return formatted(self.template, self.params, translate)


class NotFound(DomainError):
    """The thing asked for does not exist, or is not the caller's to see."""


class Forbidden(DomainError):
    """The caller is known and the thing exists, but changing it is not theirs to do (a location
    that someone else registered, say). Raised before anything is written."""


class Conflict(DomainError):
    """The request is valid but would break a uniqueness rule of the stored state."""


class InvalidInput(DomainError, ValueError):
    """A value breaks an invariant; `field` names it so clients can point at the culprit, and the
    template is the reason alone (`"must be a number."`): the message is `field: reason`.

    It is also a `ValueError`, so code that validates with attrs or the standard library keeps
    working when it catches the built-in.
    """

    def __init__(self, field: str, reason: str, /, **params: object) -> None:
        self.field = field
        super().__init__(reason, **params)
        self.reason = self.reason_in()

    def reason_in(self, translate: Translate = as_written) -> str:
        return formatted(self.template, self.params, translate)

    def render(self, translate: Translate = as_written) -> str:
        return f"{self.field}: {self.reason_in(translate)}"

    def errors_in(self, translate: Translate = as_written) -> dict[str, list[str]]:
        """The problem-details `errors` member: field name → messages."""
        return {self.field: [self.reason_in(translate)]}

    @property
    def errors(self) -> dict[str, list[str]]:
        return self.errors_in()


#: The message of every `ProviderUnavailable`, around its reason.
PROVIDER_UNAVAILABLE = translatable("{provider} is unavailable: {reason}")


class ProviderUnavailable(DomainError):
    """An upstream weather, geocoding or archive service could not give a usable answer.

    The template is the reason; what a provider's adapter says went wrong (an HTTP status, a
    timeout) is a diagnostic, passed as text and shown as it is."""

    def __init__(self, provider: str, reason: str, /, **params: object) -> None:
        self.provider = provider
        super().__init__(reason, **params)
        self.reason = self.reason_in()

    def reason_in(self, translate: Translate = as_written) -> str:
        return formatted(self.template, self.params, translate)

    def render(self, translate: Translate = as_written) -> str:
        return formatted(
            PROVIDER_UNAVAILABLE,
            {"provider": self.provider, "reason": self.reason_in(translate)},
            translate,
        )


class AllProvidersUnavailable(ProviderUnavailable):
    """Every provider in the fallback order failed; `failures` keeps each one's reason."""

    def __init__(self, failures: Sequence[ProviderUnavailable]) -> None:
        self.failures = tuple(failures)
        if self.failures:
            names = ", ".join(failure.provider for failure in self.failures)
            reasons = "; ".join(failure.message for failure in self.failures)
            reason = translatable("every weather provider failed ({reasons})")
            super().__init__(names, reason, reasons=reasons)
        else:
            reason = translatable("every weather provider failed (none is configured)")
            super().__init__("no provider", reason)

    def reason_in(self, translate: Translate = as_written) -> str:
        if not self.failures:
            return super().reason_in(translate)
        reasons = "; ".join(failure.render(translate) for failure in self.failures)
        return formatted(self.template, {"reasons": reasons}, translate)


class StorageUnavailable(DomainError):
    """The database (or whatever stores the state) cannot be reached right now."""


class QueueUnavailable(DomainError):
    """Work cannot be queued right now: the message broker cannot be reached."""
