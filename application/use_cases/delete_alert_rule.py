"""Delete one of the caller's alert rules (and the alerts it raised)."""

from __future__ import annotations

import uuid

import attrs

from application.lookups import require_owned_rule
from application.ports.unit_of_work import UnitOfWork


@attrs.frozen(kw_only=True)
class DeleteAlertRuleCommand:
    owner_id: str
    rule_id: uuid.UUID


class DeleteAlertRule:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def execute(self, command: DeleteAlertRuleCommand) -> None:
        with self._uow as uow:
            require_owned_rule(uow, command.owner_id, command.rule_id)
            uow.alerts.remove_rule(command.rule_id)
            uow.commit()
