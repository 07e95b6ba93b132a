"""`DjangoStreamTickets`: the `StreamTickets` port over ``weather_stream_ticket``.

One row per ticket issued and not yet taken: its digest (the primary key), its account and when
it expires. Taking is a delete that only one caller can win: the row is read, then deleted by its
key, and only the call whose delete removed it gets the owner, so a ticket redeemed by two web
processes at once opens one stream (no lock needed, on SQLite as on PostgreSQL). Expired rows are
dropped whenever a ticket is issued, by the index on ``expires_at``: the table holds about a
minute of tickets.

`StreamTicket` is the model of the table (``models.py``, migration 0006).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from adapters.persistence.errors import translated_database_errors
from adapters.persistence.models import StreamTicket


class DjangoStreamTickets:
    def __init__(self, using: str = "default") -> None:
        self.using = using

    @property
    def _rows(self) -> QuerySet[StreamTicket]:
        return StreamTicket.objects.using(self.using)

    def add(self, *, digest: str, owner_id: str, expires_at: datetime, now: datetime) -> None:
        with translated_database_errors():
            self._rows.filter(expires_at__lte=now).delete()
            self._rows.create(digest=digest, owner_id=owner_id, expires_at=expires_at)

    def take(self, digest: str, *, now: datetime) -> str | None:
        with translated_database_errors():
            found = self._rows.filter(digest=digest).values_list("owner_id", "expires_at").first()
            if found is None:
                return None
            taken, _ = self._rows.filter(digest=digest).delete()
        owner_id, expires_at = found
        if not taken or expires_at <= now:
            return None
        return str(owner_id)
