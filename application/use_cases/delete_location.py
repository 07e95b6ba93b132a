"""Stop tracking a location; its readings, forecasts, rules and alerts go with it.

Only its creator or a staff user may (`Forbidden` otherwise), and that is checked before anything
is removed: a refused deletion leaves the location and everything recorded about it, other
users' alert rules on it included.
"""

from __future__ import annotations

import uuid

import attrs

from application.events import LocationDeleted
from application.lookups import require_changeable_location
from application.ports.unit_of_work import UnitOfWork
from application.requesters import Requester


@attrs.frozen(kw_only=True)
class DeleteLocationCommand:
    location_id: uuid.UUID
    requester: Requester = attrs.field(validator=attrs.validators.instance_of(Requester))


class DeleteLocation:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def execute(self, command: DeleteLocationCommand) -> None:
        with self._uow as uow:
            require_changeable_location(uow, command.location_id, command.requester)
            uow.alerts.remove_for_location(command.location_id)
            uow.forecasts.remove_for_location(command.location_id)
            uow.observations.remove_for_location(command.location_id)
            uow.locations.remove(command.location_id)
            uow.record(LocationDeleted(command.location_id))
            uow.commit()
