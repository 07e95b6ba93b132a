"""Results of asking for background work."""

from __future__ import annotations

import attrs


@attrs.frozen
class TaskTicket:
    """The id to poll for a queued task (the REST adapter builds `status_url` from it)."""

    task_id: str
