"""Issue a single-use ticket for the caller's live event stream (``POST /api/v1/events/tickets/``).

The ticket is a random secret of 256 bits, valid `TICKET_LIFETIME` (CONTRACT.md §4: 60 seconds),
for an `EventSource` to open the stream as the account with ``?ticket=`` (`RedeemStreamTicket`).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import attrs

from application.ports.clock import Clock
from application.ports.stream_tickets import StreamTickets, ticket_digest

TICKET_LIFETIME = timedelta(seconds=60)


@attrs.frozen
class IssueStreamTicketCommand:
    """`owner_id`: the authenticated account the ticket stands for (`Requester.user_id`); an
    anonymous caller has none, and so no ticket."""

    owner_id: str = attrs.field(
        validator=attrs.validators.and_(
            attrs.validators.instance_of(str), attrs.validators.min_len(1)
        )
    )


@attrs.frozen
class StreamTicketResult:
    ticket: str
    expires_at: datetime


class IssueStreamTicket:
    def __init__(self, tickets: StreamTickets, clock: Clock) -> None:
        self._tickets = tickets
        self._clock = clock

    def execute(self, command: IssueStreamTicketCommand) -> StreamTicketResult:
        now = self._clock.now()
        ticket = secrets.token_urlsafe(32)
        expires_at = now + TICKET_LIFETIME
        self._tickets.add(
            digest=ticket_digest(ticket), owner_id=command.owner_id, expires_at=expires_at, now=now
        )
        return StreamTicketResult(ticket=ticket, expires_at=expires_at)
