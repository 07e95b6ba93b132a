"""The admin's actions on locations that queue work for the workers: "Refresh now" and
"Backfill the last N days".

An action only translates: the selected rows' ids (and N) → one use case → a message naming the
queued tasks. The queueing, the dates of "the last N days" and every refusal are the core's
(`RequestLocationRefresh`, `RequestRecentBackfill`), so the admin queues exactly what the API and
the command line would.

This module is apart from ``admin.py`` because it is wired to the container (``@inject``): every
process imports ``admin.py`` when Django starts (the admin's autodiscovery), and a module there
with markers would import the composition root, and with it every driven adapter, into
``manage.py help``. ``admin.py`` imports this module when an action runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import attrs
from dependency_injector.wiring import Provide, inject
from django import forms
from django.utils.translation import gettext_lazy as _

from application.ranges import MAX_RANGE_DAYS
from application.use_cases.request_recent_backfill import (
    RequestRecentBackfill,
    RequestRecentBackfillCommand,
    RequestRecentBackfillResult,
)
from application.use_cases.request_refresh import (
    RequestLocationRefresh,
    RequestLocationRefreshCommand,
)
from domain.errors import DomainError

DEFAULT_BACKFILL_DAYS = 7


class BackfillDaysForm(forms.Form):
    """N of "the last N days": the bounds are the core's (`check_days`), checked here first so
    the operator reads the refusal next to the field instead of after a round trip."""

    days = forms.IntegerField(
        label=_("Days"),
        min_value=1,
        max_value=MAX_RANGE_DAYS,
        initial=DEFAULT_BACKFILL_DAYS,
        help_text=_("Each location’s own calendar days, today included (1 to 366)."),
    )


@attrs.frozen
class QueuedRefresh:
    location_id: uuid.UUID
    task_id: str


@attrs.frozen
class RefreshOutcome:
    """What was queued before `failure` (a broker that went away mid-way), if any."""

    queued: tuple[QueuedRefresh, ...]
    failure: DomainError | None = None


@inject
def queue_refreshes(
    location_ids: Sequence[uuid.UUID],
    use_case: RequestLocationRefresh = Provide["request_location_refresh"],
) -> RefreshOutcome:
    """One refresh task per location, as ``POST /api/v1/locations/{id}/refresh/`` queues it."""
    queued: list[QueuedRefresh] = []
    for location_id in location_ids:
        try:
            ticket = use_case.execute(RequestLocationRefreshCommand(location_id))
        except DomainError as error:
            return RefreshOutcome(tuple(queued), error)
        queued.append(QueuedRefresh(location_id, ticket.task_id))
    return RefreshOutcome(tuple(queued))


@inject
def queue_recent_backfills(
    location_ids: Sequence[uuid.UUID],
    days: int,
    use_case: RequestRecentBackfill = Provide["request_recent_backfill"],
) -> RequestRecentBackfillResult:
    return use_case.execute(
        RequestRecentBackfillCommand(location_ids=tuple(location_ids), days=days)
    )
