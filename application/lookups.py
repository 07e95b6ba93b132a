"""Finding what a command names, or failing with `NotFound`.

Ownership lives here too: a rule that belongs to someone else is reported exactly like a rule that
does not exist, so ids of other people's rules cannot be probed. Locations are public, so one
that someone else registered is found, and changing it is `Forbidden` (the domain's rule).
"""

from __future__ import annotations

import uuid

from application.ports.unit_of_work import UnitOfWork
from application.requesters import Requester
from domain.alerts import AlertRule
from domain.errors import NotFound
from domain.locations import Location


def require_location(uow: UnitOfWork, location_id: uuid.UUID) -> Location:
    location = uow.locations.get(location_id)
    if location is None:
        raise NotFound("Location {id} was not found.", id=location_id)
    return location


def require_changeable_location(
    uow: UnitOfWork, location_id: uuid.UUID, requester: Requester
) -> Location:
    """The location, if `requester` may change it: `NotFound`, else `Forbidden`."""
    location = require_location(uow, location_id)
    location.check_may_be_changed_by(requester.user_id, is_staff=requester.is_staff)
    return location


def require_owned_rule(uow: UnitOfWork, owner_id: str, rule_id: uuid.UUID) -> AlertRule:
    rule = uow.alerts.get_rule(rule_id)
    if rule is None or rule.owner_id != owner_id:
        raise NotFound("Alert rule {id} was not found.", id=rule_id)
    return rule
