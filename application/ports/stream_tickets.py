"""`StreamTickets`: where the single-use tickets of the live event stream are kept.

A browser's `EventSource` cannot send an ``Authorization`` header, so an authenticated client asks
for a ticket first (``POST /api/v1/events/tickets/``) and opens the stream with ``?ticket=``
(CONTRACT.md §4, "Live events"). A ticket stands for its account until it expires and is taken at
most once, by whichever web process serves the stream: the store is one every process sees (the
database), and taking is one atomic step, never a read then a delete that two processes could
both pass.

The store never holds a ticket itself, only its digest (`ticket_digest`): whoever can read the
table cannot open anyone's stream with what they find there.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Protocol


def ticket_digest(ticket: str) -> str:
    """What the store keeps of `ticket` (SHA-256, hex): enough to find it, useless to replay."""
    return hashlib.sha256(ticket.encode("utf-8", "surrogatepass")).hexdigest()


class StreamTickets(Protocol):
    def add(self, *, digest: str, owner_id: str, expires_at: datetime, now: datetime) -> None:
        """Keep the ticket of `digest` for `owner_id` until `expires_at`; drop the tickets
        expired at `now` meanwhile, so the store stays small without a sweep of its own."""
        ...

    def take(self, digest: str, *, now: datetime) -> str | None:
        """The owner of the ticket of `digest`, which no later call will find again; None when
        there is none: unknown, taken already (by this process or another) or expired at
        `now`."""
        ...
