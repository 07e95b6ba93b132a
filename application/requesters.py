"""`Requester`: who asks a use case to change shared data, as the commands that need it carry it.

The core knows user accounts only by their id as text (the same id as an alert rule's
`owner_id`) and by whether they are staff; the driving adapter that authenticated the caller
builds the requester. Commands take one explicitly, with no default: a change that forgot to say
who asks cannot be written, so it cannot slip past the check.
"""

from __future__ import annotations

import attrs

from domain.errors import InvalidInput


def _user_id(value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise InvalidInput("user_id", "must identify a user account.")
    return value


@attrs.frozen
class Requester:
    """An account (`user_id`, None for an anonymous caller) and whether it is staff."""

    user_id: str | None = attrs.field(converter=_user_id)
    is_staff: bool = attrs.field(validator=attrs.validators.instance_of(bool))
