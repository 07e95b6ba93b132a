"""List the alerts raised by the caller's rules, newest first."""

from __future__ import annotations

import uuid

import attrs

from application.pagination import DEFAULT_PAGE_SIZE, Page, PageRequest
from application.ports.unit_of_work import UnitOfWork
from application.results.alerts import AlertResult


@attrs.frozen(kw_only=True)
class ListAlertsQuery:
    owner_id: str
    rule_id: uuid.UUID | None = None
    location_id: uuid.UUID | None = None
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


class ListAlerts:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def execute(self, query: ListAlertsQuery) -> Page[AlertResult]:
        """Filtering by someone else's rule finds nothing rather than failing."""
        page = PageRequest(query.page, query.page_size)
        with self._uow as uow:
            alerts = uow.alerts.alerts_of_owner(
                query.owner_id, rule_id=query.rule_id, location_id=query.location_id, page=page
            )
        return alerts.map(AlertResult.from_domain)
