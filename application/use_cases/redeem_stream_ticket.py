"""Redeem a stream ticket (``GET /api/v1/events/?ticket=``): the account it stands for, once.

A ticket is taken by its first redemption, valid or not as far as the caller goes: the second
answer is always "none", from any process (`StreamTickets.take`), and so is the answer after it
expired (`IssueStreamTicket`). A text that is no ticket at all (too long to be one) is not even
looked up.
"""

from __future__ import annotations

import attrs

from application.ports.clock import Clock
from application.ports.stream_tickets import StreamTickets, ticket_digest

#: Far above the length of an issued ticket (43 characters); anything longer is not one.
MAX_TICKET_LENGTH = 200


@attrs.frozen
class RedeemStreamTicketCommand:
    ticket: str


@attrs.frozen
class RedeemedTicket:
    """The account the ticket stood for (its `Requester.user_id`)."""

    owner_id: str


class RedeemStreamTicket:
    def __init__(self, tickets: StreamTickets, clock: Clock) -> None:
        self._tickets = tickets
        self._clock = clock

    def execute(self, command: RedeemStreamTicketCommand) -> RedeemedTicket | None:
        """The ticket's account, or None: unknown, redeemed already or expired."""
        ticket = command.ticket
        if not ticket or len(ticket) > MAX_TICKET_LENGTH:
            return None
        owner_id = self._tickets.take(ticket_digest(ticket), now=self._clock.now())
        return None if owner_id is None else RedeemedTicket(owner_id=owner_id)
