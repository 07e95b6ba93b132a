"""Read one of the caller's alert rules."""

from __future__ import annotations

import uuid

import attrs

from application.lookups import require_owned_rule
from application.ports.unit_of_work import UnitOfWork
from application.results.alerts import AlertRuleResult


@attrs.frozen(kw_only=True)
class GetAlertRuleQuery:
    owner_id: str
    rule_id: uuid.UUID


class GetAlertRule:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def execute(self, query: GetAlertRuleQuery) -> AlertRuleResult:
        with self._uow as uow:
            return AlertRuleResult.from_domain(
                require_owned_rule(uow, query.owner_id, query.rule_id)
            )
