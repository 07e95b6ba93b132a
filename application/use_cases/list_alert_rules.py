"""List the caller's alert rules, oldest first."""

from __future__ import annotations

import attrs

from application.pagination import DEFAULT_PAGE_SIZE, Page, PageRequest
from application.ports.unit_of_work import UnitOfWork
from application.results.alerts import AlertRuleResult


@attrs.frozen(kw_only=True)
class ListAlertRulesQuery:
    owner_id: str
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


class ListAlertRules:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def execute(self, query: ListAlertRulesQuery) -> Page[AlertRuleResult]:
        page = PageRequest(query.page, query.page_size)
        with self._uow as uow:
            rules = uow.alerts.rules_of_owner(query.owner_id, page)
        return rules.map(AlertRuleResult.from_domain)
